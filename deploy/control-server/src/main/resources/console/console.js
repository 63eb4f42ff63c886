// The Flowfn web console: one page, routed by the URL's #fragment, that calls the REST API
// (/v1/...) with the session cookie and the X-Flowfn-Console header. No framework, no library,
// nothing fetched from elsewhere. Every value from the server is put in the page as text
// (textContent), never as HTML.
'use strict';

(function () {
  const view = document.getElementById('view');
  const POLL_MS = 2000;
  const USAGE_POLL_MS = 5000;
  let timers = [];

  // ---------- helpers ----------

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'onclick' || k === 'oninput' || k === 'onsubmit' || k === 'onchange') e[k] = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  function table(id, headers, rows) {
    const head = el('tr', {}, ...headers.map(h => el('th', { class: h.num ? 'num' : null, text: h.label || h })));
    return el('table', { id }, el('thead', {}, head), el('tbody', {}, ...rows));
  }

  function every(fn, ms) {
    fn();
    timers.push(setInterval(fn, ms));
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, options) {
    const opts = Object.assign({ credentials: 'same-origin' }, options || {});
    opts.headers = Object.assign({ 'X-Flowfn-Console': '1' }, opts.headers || {});
    const res = await fetch(path, opts);
    if (res.status === 401) {
      window.location.assign('/console/login');
      throw new ApiError(401, 'signed out');
    }
    const text = await res.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
    if (!res.ok) {
      throw new ApiError(res.status, body && body.error ? body.error : ('HTTP ' + res.status));
    }
    return body;
  }

  function showError(target, e) {
    target.textContent = e.message;
  }

  function fmtMs(v) { return (Math.round(v * 100) / 100) + ' ms'; }
  function fmtTime(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''; }
  const enc = encodeURIComponent;

  function sumByFunction(rows) {
    const out = {};
    for (const r of rows) {
      const s = out[r.function] || (out[r.function] = { invocations: 0, errors: 0 });
      s.invocations += r.invocations;
      s.errors += r.errors;
    }
    return out;
  }

  // ---------- Functions ----------

  async function functionsPage() {
    view.append(el('h2', { text: 'Functions' }));
    const search = el('input', { id: 'search', type: 'text', placeholder: 'Search by name, handler, runtime or trigger' });
    const error = el('p', { id: 'functions-error', class: 'error' });
    const box = el('section', {}, search, error);
    view.append(box);
    const holder = el('div');
    box.append(holder);
    let functions = [];
    let usage = {};
    const render = () => {
      const q = search.value.trim().toLowerCase();
      const shown = functions.filter(f => !q || [f.name, f.handler, f.runtime, ...(f.triggers || [])]
        .some(v => v && v.toLowerCase().includes(q)));
      const rows = shown.map(f => {
        const u = usage[f.name] || { invocations: 0, errors: 0 };
        return el('tr', { 'data-function': f.name },
          el('td', {}, el('a', { href: '#/functions/' + enc(f.name), text: f.name })),
          el('td', { text: f.runtime }),
          el('td', { class: 'num', text: f.version }),
          el('td', {}, ...(f.triggers || []).map(t => el('div', { class: 'mono', text: t }))),
          el('td', { class: 'num invocations', text: u.invocations }),
          el('td', { class: 'num errors' + (u.errors ? ' failed' : ''), text: u.errors }));
      });
      holder.replaceChildren(
        table('functions', ['Name', 'Runtime', { label: 'Latest version', num: true }, 'Triggers',
          { label: 'Invocations (1 h)', num: true }, { label: 'Errors (1 h)', num: true }], rows),
        shown.length ? el('span') : el('p', { class: 'muted', text: functions.length ? 'No function matches.' : 'No function deployed yet: see Deploy.' }));
    };
    search.oninput = render;
    every(async () => {
      try {
        const [fs, rows] = await Promise.all([api('/v1/functions'), api('/v1/usage?since=1h')]);
        functions = fs;
        usage = sumByFunction(rows);
        error.textContent = '';
        render();
      } catch (e) { showError(error, e); }
    }, USAGE_POLL_MS);
  }

  // ---------- One function ----------

  async function functionPage(name) {
    view.append(el('h2', {}, 'Function ', el('span', { id: 'function-name', class: 'mono', text: name })));
    const error = el('p', { id: 'function-error', class: 'error' });
    view.append(error);
    let f;
    try {
      f = await api('/v1/functions/' + enc(name));
    } catch (e) { showError(error, e); return; }
    view.append(el('p', {}, el('a', { href: '#/invoke/' + enc(name), id: 'invoke-this', text: 'Invoke ' + name })));
    const alertsBody = el('div', { id: 'alerts-list' });

    const spec = [
      ['Version', f.version], ['Runtime', f.runtime], ['Handler', f.handler], ['Memory', f.memoryMb + ' MB'],
      ['Timeout', f.timeout], ['Concurrency', f.concurrency], ['Retries', f.retries],
      ['Triggers', (f.triggers || []).join('\n') || '(none: invoke only)'],
      ['Environment', (f.env || []).join(', ') || '(none)'], ['Alert rules', (f.alerts || []).join('\n') || '(none)'],
      ['Alert webhook', f.alertWebhook || '(none)'], ['Outputs', (f.outputs || []).join('\n') || '(none)'],
      ['Code', f.codeUri], ['SHA-256', f.codeSha256], ['Deployed at', fmtTime(f.deployedAt)]];
    if (f.progress) spec.push(['Latest progress', JSON.stringify(f.progress)]);

    const charts = el('div', { class: 'charts' });
    const range = el('select', { id: 'chart-range' },
      ...RANGES.map(r => el('option', { value: r.since, text: r.label })));
    range.value = '1h';
    view.append(el('section', { id: 'metering' },
      el('div', { class: 'row' }, el('h3', { text: 'Metering' }), range), charts));
    const invocationsBody = el('tbody');
    const logBox = el('div', { id: 'log-lines', class: 'log' });
    view.append(el('div', {},
      el('section', { id: 'invocations' }, el('h3', { text: 'Invocations (last 10 minutes, live)' }),
        el('div', { class: 'scroll' }, el('table', { id: 'invocations-table' },
          el('thead', {}, el('tr', {}, ...['Time', 'Status', { l: 'Duration', n: 1 }, 'Attempts', 'Version', 'Invocation id']
            .map(h => el('th', { class: h.n ? 'num' : null, text: h.l || h })))), invocationsBody))),
      el('section', { id: 'logs' }, el('h3', { text: 'Logs (last 10 minutes, followed live)' }), logBox)));
    const versions = el('section', { id: 'versions' }, el('h3', { text: 'Versions and aliases' }));
    view.append(el('div', { class: 'two' },
      el('section', { id: 'spec' }, el('h3', { text: 'Spec' }),
        el('dl', { id: 'spec-table', class: 'kv' }, ...spec.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, el('pre', { text: String(v) }))]))),
      el('div', {}, versions, el('section', { id: 'alerts' }, el('h3', { text: 'Alerts (last 24 h)' }), alertsBody))));

    // the kept versions (which aliases send traffic to each) and the aliases with their splits
    const renderVersions = async () => {
      const [kept, aliases] = await Promise.all([
        api('/v1/functions/' + enc(name) + '/versions'), api('/v1/functions/' + enc(name) + '/aliases')]);
      versions.replaceChildren(el('h3', { text: 'Versions and aliases' }),
        table('versions-table', [{ label: 'Version', num: true }, 'Deployed at', 'Aliases', 'SHA-256'],
          kept.map(v => el('tr', { 'data-version': v.version },
            el('td', { class: 'num' }, String(v.version), v.latest ? el('span', { class: 'badge', text: 'latest' }) : null),
            el('td', { text: fmtTime(v.deployedAt) }),
            el('td', { class: 'mono', text: (v.aliases || []).join(', ') }),
            el('td', { class: 'mono', title: v.handler, text: (v.codeSha256 || '').slice(0, 12) })))),
        aliases.length
          ? el('ul', { id: 'aliases-list' }, ...aliases.map(a => el('li', { class: 'mono' },
            a.canaryVersion === null || a.canaryVersion === undefined
              ? a.name + ' -> ' + a.version
              : a.name + ' -> ' + a.version + ' (' + (100 - a.canaryWeight) + '%), ' + a.canaryVersion + ' (' + a.canaryWeight + '%)',
            a.rollbackOn ? ' (rolls back on ' + a.rollbackOn + ')' : '',
            a.previousVersion ? ', before: ' + a.previousVersion : '')))
          : el('p', { class: 'muted', text: 'No aliases.' }));
    };
    every(() => renderVersions().catch(e => showError(error, e)), USAGE_POLL_MS * 2);

    let usageAsked = 0;
    const loadUsage = async () => {
      const r = RANGES.find(x => x.since === range.value);
      const asked = ++usageAsked;
      try {
        const rows = await api('/v1/usage?function=' + enc(name) + '&since=' + r.since + '&window=' + r.window);
        if (asked !== usageAsked) return; // a newer request (another range) answers instead
        renderCharts(charts, rows, r);
      } catch (e) { showError(error, e); }
    };
    range.onchange = loadUsage;
    every(loadUsage, USAGE_POLL_MS);

    let resultCursor = '';
    every(async () => {
      try {
        const page = await api('/v1/functions/' + enc(name) + '/results?since=10m' + (resultCursor ? '&cursor=' + enc(resultCursor) : ''));
        resultCursor = page.cursor;
        for (const r of page.results) {
          invocationsBody.prepend(el('tr', { 'data-invocation': r.invocationId },
            el('td', { text: fmtTime(r.time) }),
            el('td', { class: r.success ? 'ok status' : 'failed status', text: r.success ? 'ok' : (r.failureKind || 'failed') , title: r.error || '' }),
            el('td', { class: 'num', text: fmtMs(r.durationMs) }),
            el('td', { class: 'num', text: r.attempts }),
            el('td', { class: 'num', text: r.version }),
            el('td', { class: 'mono', text: r.invocationId })));
        }
        while (invocationsBody.children.length > 100) invocationsBody.lastChild.remove();
      } catch (e) { showError(error, e); }
    }, POLL_MS);

    let logCursor = '';
    every(async () => {
      try {
        const page = await api('/v1/functions/' + enc(name) + '/logs?since=10m' + (logCursor ? '&cursor=' + enc(logCursor) : ''));
        logCursor = page.cursor;
        const atBottom = logBox.scrollTop + logBox.clientHeight >= logBox.scrollHeight - 4;
        for (const l of page.lines) {
          logBox.append(el('div', { class: 'log-line lvl-' + l.level },
            fmtTime(l.time) + ' ' + l.level.padEnd(5) + ' v' + l.version + ' ' + l.invocationId + ' ' + l.message));
        }
        while (logBox.children.length > 1000) logBox.firstChild.remove();
        if (atBottom) logBox.scrollTop = logBox.scrollHeight;
      } catch (e) { showError(error, e); }
    }, POLL_MS);

    every(async () => {
      try {
        const alerts = (await api('/v1/alerts?since=24h')).filter(a => a.function === name);
        alertsBody.replaceChildren(alerts.length
          ? table('alerts-table', ['Window', 'State', 'Rule', 'Value', 'Version'], alerts.reverse().map(a => el('tr', {},
            el('td', { text: fmtTime(a.windowStart) + ' - ' + fmtTime(a.windowEnd) }),
            el('td', {}, el('span', { class: 'badge ' + a.state, text: a.state })),
            el('td', { class: 'mono', text: a.rule }), el('td', { text: a.value }), el('td', { text: a.version }))))
          : el('p', { class: 'muted', text: 'No alert fired or resolved in the last 24 hours.' }));
      } catch (e) { showError(error, e); }
    }, USAGE_POLL_MS * 2);
  }

  // the charts' time ranges and the usage buckets of each
  const RANGES = [
    { since: '15m', window: '10s', bucketMs: 10 * 1000, ms: 15 * 60 * 1000, label: 'last 15 minutes, per 10 seconds' },
    { since: '1h', window: '1m', bucketMs: 60 * 1000, ms: 3600 * 1000, label: 'last hour, per minute' },
    { since: '24h', window: '15m', bucketMs: 15 * 60 * 1000, ms: 24 * 3600 * 1000, label: 'last 24 hours, per 15 minutes' }];

  // usage rows (per version and bucket) -> one series per metric, summed over versions
  function renderCharts(holder, rows, range) {
    const byWindow = new Map();
    for (const r of rows) {
      const w = byWindow.get(r.window) || { t: Date.parse(r.window), invocations: 0, errors: 0, p50: 0, p99: 0, gbs: 0, cost: 0 };
      w.invocations += r.invocations;
      w.errors += r.errors;
      w.p50 = Math.max(w.p50, r.p50Ms);
      w.p99 = Math.max(w.p99, r.p99Ms);
      w.gbs += parseFloat(r.gbSeconds);
      w.cost += parseFloat(r.cost);
      byWindow.set(r.window, w);
    }
    const points = [...byWindow.values()].sort((a, b) => a.t - b.t);
    const metrics = [
      ['invocations', 'Invocations', p => p.invocations],
      ['errors', 'Errors', p => p.errors],
      ['p50', 'p50 duration (ms)', p => p.p50],
      ['p99', 'p99 duration (ms)', p => p.p99],
      ['gb-seconds', 'GB-s', p => p.gbs],
      ['cost', 'Cost', p => p.cost]];
    holder.replaceChildren(...metrics.map(([id, title, value]) =>
      el('div', { class: 'chart-box' }, el('h3', { text: title }), chart(id, title, points.map(p => ({ t: p.t, v: value(p) })), range))));
  }

  // a line chart of one metric over the range: hand-written SVG, a circle per bucket
  function chart(metric, title, points, range) {
    const W = 340, H = 150, L = 44, R = 8, T = 10, B = 22;
    // from the range's start, or closer when all points are recent (a few buckets before the first)
    const now = Date.now();
    const first = points.length ? Math.min(...points.map(p => p.t)) : now - range.ms;
    const from = Math.max(now - range.ms, first - 6 * range.bucketMs);
    const top = Math.max(0, ...points.map(p => p.v));
    const max = top > 0 ? top : 1;
    const x = t => L + (Math.min(Math.max(t, from), now) - from) / (now - from) * (W - L - R);
    const y = v => T + (1 - v / max) * (H - T - B);
    const s = svg('svg', { class: 'chart', 'data-metric': metric, 'data-since': range.since, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
    s.append(svg('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }));
    s.append(svg('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }));
    const label = (text, attrs) => { const t = svg('text', attrs); t.textContent = text; s.append(t); };
    const fmt = v => (v >= 100 || Number.isInteger(v)) ? String(Math.round(v)) : v.toPrecision(2);
    label(points.length ? fmt(max) : '', { x: L - 4, y: T + 8, 'text-anchor': 'end' });
    label('0', { x: L - 4, y: H - B, 'text-anchor': 'end' });
    const ago = (now - from) / 1000;
    label(ago >= 3600 ? '-' + Math.round(ago / 3600) + ' h' : ago >= 120 ? '-' + Math.round(ago / 60) + ' min' : '-' + Math.round(ago) + ' s', { x: L, y: H - 6 });
    label('now', { x: W - R, y: H - 6, 'text-anchor': 'end' });
    if (points.length === 0) {
      label('no data in this range', { x: (W + L) / 2, y: H / 2, 'text-anchor': 'middle' });
      return s;
    }
    s.append(svg('polyline', { class: 'line', points: points.map(p => x(p.t) + ',' + y(p.v)).join(' ') }));
    for (const p of points) {
      const c = svg('circle', { class: 'point', cx: x(p.t), cy: y(p.v), r: 3, 'data-value': p.v, 'data-time': new Date(p.t).toISOString() });
      const tip = svg('title', {});
      tip.textContent = new Date(p.t).toISOString() + ': ' + p.v;
      c.append(tip);
      s.append(c);
    }
    return s;
  }

  // ---------- Dead letters ----------

  async function deadLettersPage() {
    view.append(el('h2', { text: 'Dead letters (last 24 h)' }));
    const error = el('p', { id: 'dead-letters-error', class: 'error' });
    const holder = el('div');
    view.append(el('section', {}, error, holder));
    every(async () => {
      try {
        const letters = await api('/v1/dead-letters?since=24h');
        holder.replaceChildren(letters.length
          ? table('dead-letters', ['Time', 'Function', 'Kind', 'Reason', 'Attempts', ''], letters.map(d => el('tr', { 'data-id': d.id, 'data-invocation': d.invocationId || '' },
            el('td', { text: fmtTime(d.time) }),
            el('td', { text: d.function || '(none)' }),
            el('td', { class: 'kind', text: d.kind }),
            el('td', { class: 'reason', text: d.reason }),
            el('td', { class: 'num', text: d.attempts }),
            el('td', {}, el('a', { class: 'open', href: '#/dead-letters/' + enc(d.id), text: 'Open' })))))
          : el('p', { class: 'muted', text: 'No dead letters in the last 24 hours.' }));
        error.textContent = '';
      } catch (e) { showError(error, e); }
    }, USAGE_POLL_MS);
  }

  async function deadLetterPage(id) {
    view.append(el('h2', {}, 'Dead letter ', el('span', { class: 'mono', text: id })));
    const error = el('p', { id: 'dead-letter-error', class: 'error' });
    view.append(error);
    let d;
    try { d = await api('/v1/dead-letters/' + enc(id)); } catch (e) { showError(error, e); return; }
    const fields = [['Function', d.function || '(none)'], ['Version', d.version], ['Kind', d.kind], ['Reason', d.reason],
      ['Attempts', d.attempts], ['Invocation id', d.invocationId], ['Time', fmtTime(d.time)]];
    if (d.event) {
      fields.push(['Event id', d.event.id], ['Event type', d.event.type], ['Source', d.event.source],
        ['Subject', d.event.subject], ['Content type', d.event.datacontenttype],
        ['Data', d.event.data !== undefined ? d.event.data : '(' + d.event.dataBytes + ' bytes of binary data)'],
        ['Extensions', (d.event.extensions || []).join(', ')]);
    }
    view.append(el('section', { id: 'dead-letter' },
      table('dead-letter-table', ['Field', 'Value'], fields.map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', {}, el('pre', { id: 'dl-' + k.toLowerCase().replace(/ /g, '-'), text: v === null || v === undefined ? '' : String(v) })))))));
    const result = el('p', { id: 'run-again-result' });
    const button = el('button', { id: 'run-again', type: 'button', text: 'Run again' });
    if (!d.event) button.disabled = true;
    button.onclick = async () => {
      button.disabled = true;
      result.className = '';
      result.textContent = 'Publishing...';
      try {
        const r = await api('/v1/dead-letters/' + enc(id) + '/run-again', { method: 'POST' });
        result.replaceChildren('Published again as event ', el('span', { id: 'rerun-event-id', class: 'mono', text: r.eventId }),
          r.function ? el('span', {}, ' for ', el('a', { href: '#/functions/' + enc(r.function), text: r.function })) : null);
      } catch (e) {
        result.className = 'error';
        showError(result, e);
      } finally {
        button.disabled = false;
      }
    };
    view.append(el('section', {}, el('p', { class: 'hint', text: 'Run again publishes the event once more with a new id, addressed to the function of this dead letter, on its current version.' }), button, result));
  }

  // ---------- Deploy ----------

  function deployPage() {
    view.append(el('h2', { text: 'Deploy a function' }));
    const triggers = el('div', { id: 'deploy-triggers' });
    const addTrigger = (value) => {
      const input = el('input', { type: 'text', class: 'trigger', placeholder: 'e.g. http:route=/orders,methods=POST  or  kafka:topic=words  or  timer:cron=*/5 * * * *' });
      if (value) input.value = value;
      const remove = el('button', { type: 'button', class: 'secondary', text: 'Remove' });
      const row = el('div', { class: 'row' }, input, remove);
      remove.onclick = () => row.remove();
      triggers.append(row);
      return input;
    };
    const jarHandlers = el('div', { id: 'jar-handlers', class: 'hint' });
    const input = (id, type, attrs) => el('input', Object.assign({ id, type, name: id }, attrs || {}));
    const error = el('p', { id: 'deploy-error', class: 'error', role: 'alert' });
    const result = el('p', { id: 'deploy-result' });
    const submit = el('button', { id: 'deploy-submit', type: 'submit', text: 'Deploy' });
    // what --runtime takes, and the handler each expects (as flowfn deploy --help says)
    const runtimes = {
      'java': 'e.g. dev.flowfn.examples.hello.Upper', 'java-embedded': 'e.g. dev.flowfn.examples.hello.Upper',
      'nodejs': 'FILE.EXPORT, e.g. index.handler', 'python': 'module.function, e.g. handler.main', 'http': '(none)'
    };
    const runtime = el('select', { id: 'deploy-runtime' },
      ...Object.keys(runtimes).map(r => el('option', { value: r, text: r })));
    const form = el('form', { id: 'deploy-form', class: 'form-grid' },
      el('label', { for: 'deploy-name', text: 'Name' }), input('deploy-name', 'text', { placeholder: 'lower-case, e.g. upper' }),
      el('label', { for: 'deploy-runtime', text: 'Runtime' }), runtime,
      el('label', { for: 'deploy-jar', text: 'Code (jar, or zip for nodejs and python)' }), input('deploy-jar', 'file', { accept: '.jar,.zip' }),
      el('label', { for: 'deploy-url', text: 'URL (http)' }), input('deploy-url', 'url', { placeholder: 'https://fn.example/orders', disabled: '' }),
      el('label', { for: 'deploy-handler', text: 'Handler' }),
      el('div', {}, input('deploy-handler', 'text', { placeholder: 'e.g. dev.flowfn.examples.hello.Upper', list: 'known-handlers' }),
        el('datalist', { id: 'known-handlers' }), jarHandlers),
      el('label', { for: 'deploy-memory', text: 'Memory (MB)' }), input('deploy-memory', 'number', { placeholder: '256' }),
      el('label', { for: 'deploy-timeout', text: 'Timeout' }), input('deploy-timeout', 'text', { placeholder: '30s' }),
      el('label', { for: 'deploy-concurrency', text: 'Concurrency' }), input('deploy-concurrency', 'number', { placeholder: '16' }),
      el('label', { for: 'deploy-retries', text: 'Retries' }), input('deploy-retries', 'number', { placeholder: '2' }),
      el('label', { text: 'Triggers' }), el('div', {}, triggers, el('button', { id: 'add-trigger', type: 'button', class: 'secondary', text: 'Add trigger', onclick: () => addTrigger().focus() })),
      el('label', { for: 'deploy-env', text: 'Environment' }), el('textarea', { id: 'deploy-env', placeholder: 'KEY=value, one a line (values are never shown back)' }),
      el('label', { for: 'deploy-alerts', text: 'Alert rules' }), el('textarea', { id: 'deploy-alerts', placeholder: 'one a line, e.g. error-rate>5%/5m' }),
      el('span'), el('div', {}, submit),
      el('div', { class: 'full' }, error, result));
    view.append(el('section', {}, form));
    const known = document.getElementById('known-handlers');
    runtime.onchange = () => {
      const http = runtime.value === 'http';
      document.getElementById('deploy-url').disabled = !http;
      document.getElementById('deploy-jar').disabled = http;
      document.getElementById('deploy-handler').disabled = http;
      document.getElementById('deploy-handler').placeholder = runtimes[runtime.value];
    };
    api('/v1/functions').then(fs => {
      if (!known.children.length) known.replaceChildren(...[...new Set(fs.map(f => f.handler))].map(h => el('option', { value: h })));
    }).catch(() => {});
    // the handler classes of the chosen jar, to choose from (the server looks, nothing is deployed)
    document.getElementById('deploy-jar').onchange = async (ev) => {
      const file = ev.target.files[0];
      jarHandlers.textContent = '';
      if (!file || !runtime.value.startsWith('java')) return; // handler classes are in jars
      const body = new FormData();
      body.append('jar', file, file.name);
      try {
        const handlers = await api('/v1/jars/handlers', { method: 'POST', body });
        known.replaceChildren(...handlers.map(h => el('option', { value: h })));
        const field = document.getElementById('deploy-handler');
        if (handlers.length === 1 && !field.value.trim()) field.value = handlers[0];
        jarHandlers.textContent = handlers.length
          ? 'Handler classes in ' + file.name + ': ' + handlers.join(', ')
          : 'No handler class found in ' + file.name + ': type the handler.';
      } catch (e) {
        jarHandlers.textContent = e.message;
      }
    };

    form.onsubmit = async (ev) => {
      ev.preventDefault();
      error.textContent = '';
      result.textContent = '';
      const val = id => document.getElementById(id).value.trim();
      const num = id => val(id) === '' ? undefined : Number(val(id));
      const lines = id => val(id).split('\n').map(s => s.trim()).filter(s => s);
      const http = runtime.value === 'http';
      const file = http ? null : document.getElementById('deploy-jar').files[0];
      if (!http && !file) { error.textContent = 'choose the jar (or zip) to deploy'; return; }
      const env = {};
      for (const line of lines('deploy-env')) {
        const i = line.indexOf('=');
        if (i <= 0) { error.textContent = "environment line '" + line + "' must be KEY=value"; return; }
        env[line.slice(0, i)] = line.slice(i + 1);
      }
      const spec = {
        name: val('deploy-name'), runtime: runtime.value, url: http ? val('deploy-url') : undefined,
        handler: http ? undefined : val('deploy-handler'), memoryMb: num('deploy-memory'),
        timeout: val('deploy-timeout') || undefined, concurrency: num('deploy-concurrency'), retries: num('deploy-retries'),
        triggers: [...triggers.querySelectorAll('input.trigger')].map(i => i.value.trim()).filter(s => s),
        env, alerts: lines('deploy-alerts')
      };
      const body = new FormData();
      body.append('spec', JSON.stringify(spec));
      if (file) body.append('code', file, file.name);
      submit.disabled = true;
      result.textContent = file ? 'Uploading ' + file.name + ' (' + file.size + ' bytes)...' : 'Deploying...';
      try {
        const f = await api('/v1/functions', { method: 'POST', body });
        result.replaceChildren('Deployed ', el('a', { id: 'deployed-link', href: '#/functions/' + enc(f.name), text: f.name }),
          ' version ', el('span', { id: 'deployed-version', text: f.version }),
          // replaceChildren would show a null as the text 'null'
          ...((f.warnings && f.warnings.length) ? [el('span', { class: 'error' }, ' Warnings: ' + f.warnings.join('; '))] : []));
      } catch (e) {
        result.textContent = '';
        showError(error, e);
      } finally {
        submit.disabled = false;
      }
    };
  }

  // ---------- Invoke ----------

  async function invokePage(preselected) {
    view.append(el('h2', { text: 'Invoke a function' }));
    const select = el('select', { id: 'invoke-function' });
    const data = el('textarea', { id: 'invoke-data', placeholder: '"hello"  (the event data)' });
    const type = el('input', { id: 'invoke-content-type', type: 'text' });
    type.value = 'application/json';
    const submit = el('button', { id: 'invoke-submit', type: 'submit', text: 'Invoke' });
    const error = el('p', { id: 'invoke-error', class: 'error', role: 'alert' });
    const out = el('div', { id: 'invoke-output' });
    const form = el('form', { id: 'invoke-form', class: 'form-grid' },
      el('label', { for: 'invoke-function', text: 'Function' }), select,
      el('label', { for: 'invoke-data', text: 'Payload' }), data,
      el('label', { for: 'invoke-content-type', text: 'Content type' }), type,
      el('span'), el('div', {}, submit), el('div', { class: 'full' }, error, out));
    view.append(el('section', {}, form));
    try {
      const fs = await api('/v1/functions');
      select.replaceChildren(...fs.map(f => el('option', { value: f.name, text: f.name + ' (v' + f.version + ')' })));
      if (preselected) select.value = preselected;
    } catch (e) { showError(error, e); }
    form.onsubmit = async (ev) => {
      ev.preventDefault();
      error.textContent = '';
      out.replaceChildren(el('p', { class: 'muted', text: 'Waiting for the result...' }));
      submit.disabled = true;
      try {
        const r = await api('/v1/functions/' + enc(select.value) + '/invoke', {
          method: 'POST', body: data.value, headers: { 'Content-Type': type.value || 'application/octet-stream' } });
        out.replaceChildren(table('invoke-result-table', ['Field', 'Value'], [
          ['Status', r.success ? 'ok' : 'failed: ' + r.failureKind], ['Invocation id', r.invocationId], ['Version', r.version],
          ['Duration', fmtMs(r.durationMs)], ['Attempts', r.attempts], ['Content type', r.contentType || ''],
          r.success ? null : ['Error', r.error]].filter(x => x).map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: String(v) })))),
        el('h3', { text: 'Result' }),
        el('pre', { id: 'invoke-result', class: r.success ? 'ok' : 'failed', text: r.data !== null && r.data !== undefined ? r.data : ('(binary, base64) ' + r.dataBase64) }));
      } catch (e) {
        out.replaceChildren();
        showError(error, e);
      } finally {
        submit.disabled = false;
      }
    };
  }

  // ---------- router ----------

  function route() {
    timers.forEach(clearInterval);
    timers = [];
    view.replaceChildren();
    const hash = window.location.hash.replace(/^#\/?/, '');
    const [page, ...rest] = hash.split('/');
    const arg = rest.length ? decodeURIComponent(rest.join('/')) : null;
    document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active', a.getAttribute('href') === '#/' + page));
    switch (page) {
      case 'functions': return arg ? functionPage(arg) : functionsPage();
      case 'dead-letters': return arg ? deadLetterPage(arg) : deadLettersPage();
      case 'deploy': return deployPage();
      case 'invoke': return invokePage(arg);
      default:
        window.location.hash = '#/functions';
    }
  }

  window.addEventListener('hashchange', route);
  route();
})();
