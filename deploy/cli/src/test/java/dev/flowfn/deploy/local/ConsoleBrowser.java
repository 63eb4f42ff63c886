package dev.flowfn.deploy.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium ({@value #CHROMIUM}), headless, driven through the system chromedriver ({@value
 * #CHROMEDRIVER}); both paths are set, so Selenium Manager never looks for (or downloads) a driver
 * or a browser. For the console's browser tests: open a page of one server, type, click, wait for
 * text, save screenshots. One test thread.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final String base;
    private final Path screenshots;

    private ConsoleBrowser(
            ChromeDriverService service, ChromeDriver driver, String base, Path screenshots) {
        this.service = service;
        this.driver = driver;
        this.base = base;
        this.screenshots = screenshots;
    }

    /** Fails with what to install when the browser or its driver is missing. */
    static void checkInstalled() {
        for (String path : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(Path.of(path))) {
                throw new IllegalStateException(
                        path
                                + " is missing: run scripts/install-test-tools (Debian packages"
                                + " chromium and chromium-driver)");
            }
        }
    }

    /**
     * @param base the server's URL, e.g. {@code http://127.0.0.1:24125}
     * @param screenshots where {@link #screenshot} writes
     * @param profile an empty folder for the browser's profile
     */
    static ConsoleBrowser start(String base, Path screenshots, Path profile) throws IOException {
        checkInstalled();
        Files.createDirectories(screenshots);
        Files.createDirectories(profile);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(CHROMEDRIVER))
                        .usingAnyFreePort()
                        .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1000",
                "--user-data-dir=" + profile);
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        driver.manage().window().setSize(new Dimension(1280, 1000));
        return new ConsoleBrowser(service, driver, base, screenshots);
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens a path of the server, e.g. {@code /console/#/deploy}. */
    void open(String path) {
        driver.get(base + path);
    }

    void type(By field, String text) {
        WebElement e = await("field " + field, d -> d.findElement(field));
        e.clear();
        e.sendKeys(text);
    }

    void click(By button) {
        await("button " + button, d -> d.findElement(button)).click();
    }

    /** The element's text, or empty when there is no such element. */
    String text(By element) {
        try {
            return driver.findElement(element).getText();
        } catch (NoSuchElementException e) {
            return "";
        }
    }

    /** Waits until the element's text contains {@code expected}; returns the text. */
    String awaitText(By element, String expected) {
        return awaitText(element, expected, "'" + expected + "' in " + element);
    }

    String awaitText(By element, String expected, String what) {
        return await(
                what,
                d -> {
                    String t = text(element);
                    return t.contains(expected) ? t : null;
                });
    }

    /** Waits up to 60 s for {@code condition} to give a non-null, non-false value. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT)
                .ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> what + " (page: " + driver.getCurrentUrl() + ")")
                .until(condition::apply);
    }

    /** Saves the whole page (up to 4,000 pixels high) as {@code NAME.png}. */
    Path screenshot(String name) throws IOException {
        Dimension window = driver.manage().window().getSize();
        Number height =
                (Number)
                        driver.executeScript(
                                "return Math.max(document.body.scrollHeight,"
                                        + " document.documentElement.scrollHeight)"
                                        + " + window.outerHeight - window.innerHeight");
        driver.manage()
                .window()
                .setSize(
                        new Dimension(
                                window.getWidth(),
                                Math.min(4000, Math.max(window.getHeight(), height.intValue()))));
        try {
            Path file = screenshots.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
