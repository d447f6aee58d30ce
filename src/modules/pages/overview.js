// The overview page's script (served at /overview.js: the pages' CSP allows no inline script).
const LEVEL = { district: '区县', town: '镇街', community: '社区/村', grid: '网格', microgrid: '微网格' };
const pct = (x) => (x * 100).toFixed(1) + '%';
const fmt = (n) => n.toLocaleString('zh-CN');
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

async function get(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error((await res.json()).error?.message ?? res.statusText);
  return res.json();
}

async function show(id) {
  const rows = document.getElementById('rows');
  try {
    if (!id) {
      const roots = await get('/api/nodes?root=true&status=active&limit=10');
      if (!roots.items.length) { rows.innerHTML = '<tr><td colspan="7" class="muted">尚无数据：运行 dualgrid demo 载入示范镇。</td></tr>'; return; }
      id = roots.items[0].id;
    }
    const node = await get(`/api/nodes/${id}`);
    const kids = await get(`/api/nodes?parentId=${id}&status=active&withFigures=true&limit=500`);
    const f = node.figures;
    document.getElementById('crumbs').innerHTML = [...node.ancestors, node]
      .map((a) => a.id === node.id ? `<span>${esc(a.name)}</span>` : `<a data-id="${a.id}">${esc(a.name)}</a>`).join(' › ');
    document.getElementById('tiles').innerHTML = [
      ['实体网格', fmt(f.grids)], ['线上网格（群）', fmt(f.onlineGroups)], ['户数', fmt(f.households)],
      ['人口', fmt(f.population)], ['登记居民', fmt(f.residents)], ['线上网格覆盖率', pct(f.coverage), 'coverage'],
    ].map(([label, value, cls]) => `<div class="tile ${cls ?? ''}"><b>${value}</b><small>${label}</small></div>`).join('');
    rows.innerHTML = kids.items.length ? kids.items.map((k) => {
      const g = k.figures ?? { grids: 0, households: 0, population: 0, gridsWithGroup: 0 };
      const cov = g.grids ? pct(g.gridsWithGroup / g.grids) : '—';
      return `<tr class="clickable" data-id="${k.id}"><td>${esc(k.name)}</td><td class="muted code-col">${k.code}</td><td>${LEVEL[k.level]}</td>
        <td class="num">${fmt(g.grids)}</td><td class="num">${fmt(g.households)}</td><td class="num">${fmt(g.population)}</td><td class="num">${cov}</td></tr>`;
    }).join('') : '<tr><td colspan="7" class="muted">没有下级。</td></tr>';
  } catch (err) {
    rows.innerHTML = `<tr><td colspan="7">加载失败：${esc(err.message)}</td></tr>`;
  }
}

document.addEventListener('click', (e) => {
  const el = e.target.closest('[data-id]');
  if (el) { history.pushState({}, '', `?node=${el.dataset.id}`); show(el.dataset.id); }
});
window.addEventListener('popstate', () => show(new URLSearchParams(location.search).get('node')));
show(new URLSearchParams(location.search).get('node'));
