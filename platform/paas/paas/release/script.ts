/** Live log view: polls `data-src` every second until the deploy finishes, then reloads the page. */
export const POLL_JS = `
(function () {
  const box = document.getElementById('release-log');
  if (!box || !box.dataset.src) return;
  const state = document.getElementById('release-status');
  const names = JSON.parse(state.dataset.names || '{}'); // status texts in the page language
  async function tick() {
    try {
      const r = await fetch(box.dataset.src, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
      const j = await r.json();
      if (j.data) {
        box.textContent = j.data.logs;
        box.scrollTop = box.scrollHeight;
        state.textContent = names[j.data.status] || String(j.data.status);
        state.dataset.status = String(j.data.status);
        if (j.data.status !== 2) { setTimeout(() => location.reload(), 800); return; }
      } else state.textContent = j.message;
    } catch (e) { state.textContent = (names.error || 'polling failed:') + ' ' + e.message; }
    setTimeout(tick, 1000);
  }
  tick();
})();
`;
