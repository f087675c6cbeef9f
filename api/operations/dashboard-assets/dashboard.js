// The live dashboard: listens to /dashboard/events (Server-Sent Events) and redraws counts and charts with
// plain DOM and inline SVG. No framework, no CDN; falls back to polling when EventSource is missing.
const OUTCOMES = ['completed', 'declined', 'cancelled', 'failed', 'escalated'];
const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);
const number = new Intl.NumberFormat('en-US');

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function money(minor, currency) {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    // A code Intl does not know: its minor unit is unknown too, so the amount is shown as it is, never guessed.
    return `${minor} ${currency} (minor units)`;
  }
}

const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const duration = (ms) => (ms == null ? '–' : ms < 1000 ? `${ms} ms` : ms < 120000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60000).toFixed(1)} min`);

function renderPerMinute(rows) {
  const box = $('per-minute');
  const width = 720, height = 160, pad = 20;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height + pad}` });
  if (rows.length === 0) {
    svg.append(el('text', { x: 4, y: 20 }, 'no outcomes yet'));
    box.replaceChildren(svg);
    return;
  }
  const max = Math.max(1, ...rows.map((r) => OUTCOMES.reduce((sum, o) => sum + r[o], 0)));
  const slot = width / Math.max(rows.length, 12);
  rows.forEach((row, i) => {
    let y = height;
    for (const outcome of OUTCOMES) {
      const h = (row[outcome] / max) * (height - 10);
      if (h > 0) {
        y -= h;
        const rect = el('rect', { x: i * slot + 2, y, width: Math.max(slot - 4, 1), height: h, class: `${outcome}-fill` });
        rect.append(el('title', {}, `${clock(row.minute)} ${outcome}: ${row[outcome]}`));
        svg.append(rect);
      }
    }
    if (i % Math.ceil(rows.length / 8) === 0) svg.append(el('text', { x: i * slot + 2, y: height + 14 }, clock(row.minute)));
  });
  svg.append(el('text', { x: width - 4, y: 10, 'text-anchor': 'end' }, `max ${max}/min`));
  box.replaceChildren(svg);
}

function renderFraud(buckets) {
  const width = 320, height = 120, pad = 16;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height + pad}` });
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const slot = width / buckets.length;
  buckets.forEach((b, i) => {
    const h = (b.count / max) * (height - 12);
    const rect = el('rect', { x: i * slot + 2, y: height - h, width: slot - 4, height: h, class: 'score-fill' });
    rect.append(el('title', {}, `${b.bucket}–${b.bucket === 90 ? 100 : b.bucket + 9}: ${b.count}`));
    svg.append(rect, el('text', { x: i * slot + slot / 2, y: height + 12, 'text-anchor': 'middle' }, String(b.bucket)));
    if (b.count > 0) svg.append(el('text', { x: i * slot + slot / 2, y: height - h - 2, 'text-anchor': 'middle' }, String(b.count)));
  });
  $('fraud-scores').replaceChildren(svg);
}

function renderReasons(reasons) {
  const box = $('failure-reasons');
  if (reasons.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = 'none yet';
    box.replaceChildren(empty);
    return;
  }
  const max = Math.max(1, ...reasons.map((r) => r.count));
  box.replaceChildren(
    ...reasons.map((r) => {
      const row = document.createElement('div');
      row.className = 'row';
      const label = document.createElement('span');
      label.textContent = r.code.replaceAll('_', ' ');
      const bar = el('svg', { viewBox: '0 0 100 12', preserveAspectRatio: 'none' });
      bar.append(el('rect', { x: 0, y: 0, width: (r.count / max) * 100, height: 12, class: 'failed-fill' }));
      const count = document.createElement('span');
      count.textContent = number.format(r.count);
      row.append(label, bar, count);
      return row;
    }),
  );
}

function renderRevenue(revenue) {
  const body = $('revenue').tBodies[0];
  if (revenue.length === 0) {
    const row = body.insertRow();
    body.replaceChildren(row);
    const cell = row.insertCell();
    cell.colSpan = 5;
    cell.className = 'empty';
    cell.textContent = 'no completed orders yet';
    return;
  }
  body.replaceChildren();
  for (const r of revenue) {
    const row = body.insertRow();
    row.insertCell().textContent = r.currency;
    row.insertCell().textContent = number.format(r.orders);
    row.insertCell().textContent = money(r.total, r.currency);
    row.insertCell().textContent = money(r.refunded, r.currency);
    row.insertCell().textContent = money(r.net, r.currency);
  }
}

/** A list item with its text (and class). */
const listItem = (text, className) => Object.assign(document.createElement('li'), { textContent: text, className: className ?? '' });

/** Receipt emails first (one relay), then SMS and push by provider; an empty table says so. */
function renderDeliveries(notifications) {
  const body = $('deliveries').tBodies[0];
  const rows = [
    { key: 'receipts', channel: 'email (receipts)', provider: '—', delivered: notifications.receipts.sent, sending: notifications.receipts.sending, undeliverable: 0 },
    ...notifications.deliveries.map((d) => ({
      ...d,
      key: d.provider ? `${d.channel}-${d.provider}` : `${d.channel}-fallback`,
      channel: d.channel === 'email' ? 'email (fallback)' : d.channel,
      provider: d.provider ?? '—',
    })),
  ].filter((r) => r.delivered + r.sending + r.undeliverable > 0);
  body.replaceChildren();
  if (rows.length === 0) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = 5;
    cell.className = 'empty';
    cell.textContent = 'no messages yet';
  }
  for (const r of rows) {
    const row = body.insertRow();
    row.dataset.testid = `deliveries-${r.key}`;
    for (const value of [r.channel, r.provider]) row.insertCell().textContent = value;
    for (const value of [r.delivered, r.sending, r.undeliverable]) row.insertCell().textContent = number.format(value);
  }
  $('fallbacks').replaceChildren(
    ...(notifications.fallbacks.length === 0
      ? [listItem('none', 'empty')]
      : notifications.fallbacks.map((f) => listItem(`${f.from} → ${f.to} (${f.reason === 'rejected' ? 'recipient refused' : 'channel down past its deadline'}): ${number.format(f.count)}`))),
  );
}

/** Deliveries by status, endpoints by state, and the endpoints disabled for failing (newest first). */
function renderWebhooks(webhooks) {
  for (const [key, value] of [...Object.entries(webhooks.deliveries), ...Object.entries(webhooks.endpoints)]) $(`webhooks-${key}`).textContent = number.format(value);
  $('disabled-endpoints').replaceChildren(
    ...(webhooks.disabled.length === 0 ? [listItem('none', 'empty')] : webhooks.disabled.map((e) => listItem(`${e.merchantId} · ${e.url} — ${e.reason ?? 'disabled'}`))),
  );
}

function render(summary) {
  for (const key of [...OUTCOMES, 'total']) $(`count-${key}`).textContent = number.format(summary.counts[key]);
  $('decline-rate').textContent = `${(summary.declineRate * 100).toFixed(1)} %`;
  for (const p of ['p50', 'p95', 'p99']) $(`latency-${p}`).textContent = duration(summary.latencyMs[p]);
  renderRevenue(summary.revenue);
  renderPerMinute(summary.perMinute);
  renderFraud(summary.fraudScores);
  renderReasons(summary.failureReasons);
  if (summary.notifications) renderDeliveries(summary.notifications);
  if (summary.webhooks) renderWebhooks(summary.webhooks);
  $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  document.body.dataset.version = String(Number(document.body.dataset.version ?? 0) + 1);
}

function setStatus(state, text) {
  const status = $('status');
  status.dataset.state = state;
  status.textContent = text;
}

function poll() {
  const tick = async () => {
    try {
      const response = await fetch('/dashboard/summary.json', { cache: 'no-store' });
      render(await response.json());
      setStatus('live', 'live (polling)');
    } catch {
      setStatus('reconnecting', 'reconnecting…');
    }
  };
  void tick();
  setInterval(tick, 2000);
}

function listen() {
  const source = new EventSource('/dashboard/events');
  source.addEventListener('open', () => setStatus('live', 'live'));
  source.addEventListener('summary', (event) => render(JSON.parse(event.data)));
  // EventSource reconnects by itself (the server asks for 2 s); say so meanwhile. A refused stream (the
  // server's streams are all taken: 503) is not retried by the browser: poll the summary instead.
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) poll();
    else setStatus('reconnecting', 'reconnecting…');
  });
}

if ('EventSource' in window) listen();
else poll();
