package dev.flowfn.examples.webapp;

/** Just enough JSON writing for the profile API (the function needs no JSON library). */
final class Json {

    static String profile(Users.Profile p) {
        StringBuilder interests = new StringBuilder("[");
        for (int i = 0; i < p.interests().size(); i++) {
            interests.append(i == 0 ? "" : ",").append(string(p.interests().get(i)));
        }
        interests.append(']');
        return "{\"user\":"
                + string(p.user())
                + ",\"name\":"
                + string(p.name())
                + ",\"city\":"
                + string(p.city())
                + ",\"joined\":"
                + string(p.joined())
                + ",\"bio\":"
                + string(p.bio())
                + ",\"interests\":"
                + interests
                + "}";
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '<' -> b.append("\\u003c");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private Json() {}
}
