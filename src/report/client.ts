/**
 * The page script of the report. It is type-checked here and inlined with
 * `(${reportClient.toString()})()`, so it must not refer to anything outside its own body (no
 * imports, no module-level helpers). It only adds interaction to markup that is complete without
 * it: tooltips, trial details on click, table sorting and filtering, and brushing on the parallel
 * coordinates, which filters the table and fades the other charts.
 */

/**
 * The data block embedded as JSON in the page (`#ss-data`). Values arrive already formatted by
 * src/format, so the page shows exactly what the tables and the terminal show.
 */
export interface ClientData {
  readonly params: readonly string[];
  readonly metrics: readonly string[];
  readonly headline: readonly string[];
  readonly trials: readonly {
    readonly number: number;
    readonly state: string;
    /** Parameter name → value as text. */
    readonly params: Readonly<Record<string, string>>;
    /** Metric name → value as text, in its unit (sizes as "207 KiB (1.70 Mbit)"). */
    readonly metrics: Readonly<Record<string, string>> | null;
    readonly attrs: Readonly<Record<string, string>>;
    readonly error: string | null;
    /** Efficiency E as text, when defined. */
    readonly efficiency: string | null;
    readonly startedAt: string | null;
    readonly finishedAt: string | null;
    /** Duration as text ("3m 07s"). */
    readonly duration: string;
    readonly intermediateCount: number;
    readonly note: string | null;
  }[];
}

export function reportClient(): void {
  const dataEl = document.getElementById('ss-data');
  if (!dataEl) return;
  const data = JSON.parse(dataEl.textContent || '{}') as ClientData;
  type T = ClientData['trials'][number];
  const byN = new Map<number, T>();
  for (const t of data.trials) byN.set(t.number, t);

  const escHtml = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
  const row = (name: string, value: string, cls = ''): string => '<tr' + (cls ? ' class="' + cls + '"' : '') + '><td>' + escHtml(name) + '</td><td>' + escHtml(value) + '</td></tr>';

  // ---- tooltip -------------------------------------------------------------------------------
  const tip = document.getElementById('tip') as HTMLDivElement;
  const tipHtml = (t: T): string => {
    let h = '<b>Trial #' + t.number + '</b> <span class="st ' + t.state + '">' + t.state + '</span><table>';
    for (const p of data.params) h += row(p, t.params[p] ?? '–');
    if (t.metrics) for (const m of data.headline) if (t.metrics[m] !== undefined) h += row(m, t.metrics[m]!, 'm');
    if (t.efficiency !== null) h += row('E', t.efficiency, 'm');
    if (t.error) h += row('error', t.error.slice(0, 160), 'm');
    return h + '</table>';
  };
  const trialOf = (el: EventTarget | null): T | undefined => {
    const node = (el as Element | null)?.closest?.('[data-t]');
    return node ? byN.get(Number(node.getAttribute('data-t'))) : undefined;
  };
  document.querySelectorAll('svg.chart').forEach((svg) => {
    svg.addEventListener('mouseover', (ev) => {
      const t = trialOf(ev.target);
      if (!t) return;
      tip.innerHTML = tipHtml(t);
      tip.hidden = false;
      highlight(t.number, true);
    });
    svg.addEventListener('mousemove', (ev) => {
      const e = ev as MouseEvent;
      const w = tip.offsetWidth;
      const x = e.clientX + 14 + w > window.innerWidth ? e.clientX - w - 14 : e.clientX + 14;
      tip.style.left = x + window.scrollX + 'px';
      tip.style.top = e.clientY + window.scrollY + 12 + 'px';
    });
    svg.addEventListener('mouseout', (ev) => {
      const t = trialOf(ev.target);
      tip.hidden = true;
      if (t) highlight(t.number, false);
    });
  });
  function highlight(n: number, on: boolean): void {
    document.querySelectorAll('svg.chart [data-t="' + n + '"]').forEach((el) => el.classList.toggle('hl', on));
  }

  // ---- details on click ----------------------------------------------------------------------
  const details = document.getElementById('details') as HTMLElement;
  let selected: number | null = null;
  function showDetails(t: T): void {
    if (selected !== null) document.querySelectorAll('[data-t="' + selected + '"]').forEach((el) => el.classList.remove('sel'));
    selected = t.number;
    document.querySelectorAll('[data-t="' + t.number + '"]').forEach((el) => el.classList.add('sel'));
    let h = '<button type="button" class="close" aria-label="close">×</button><h3>Trial #' + t.number + ' <span class="st ' + t.state + '">' + t.state + '</span></h3>';
    if (t.note) h += '<p class="note">' + escHtml(t.note) + '</p>';
    h += '<h4>Parameters</h4><table>';
    for (const p of data.params) h += row(p, t.params[p] ?? '–');
    h += '</table>';
    if (t.metrics) {
      h += '<h4>Metrics</h4><table>';
      for (const m of data.metrics) if (t.metrics[m] !== undefined) h += row(m, t.metrics[m]!);
      if (t.efficiency !== null) h += row('E', t.efficiency);
      h += '</table>';
    }
    const attrs = Object.keys(t.attrs);
    if (attrs.length) {
      h += '<h4>Attributes</h4><table>';
      for (const k of attrs) h += row(k, t.attrs[k]!);
      h += '</table>';
    }
    h += '<h4>Timing</h4><table>' + row('started', t.startedAt || '–') + row('finished', t.finishedAt || '–') + row('duration', t.duration) + row('intermediate values', String(t.intermediateCount)) + '</table>';
    if (t.error) h += '<h4>Error</h4><pre>' + escHtml(t.error) + '</pre>';
    details.innerHTML = h;
    details.hidden = false;
    (details.querySelector('.close') as HTMLElement).onclick = () => {
      details.hidden = true;
    };
  }
  document.addEventListener('click', (ev) => {
    const target = ev.target as Element;
    if (target.closest('#details') || target.closest('th') || target.closest('.brush-hit')) return;
    const t = trialOf(target);
    if (t) showDetails(t);
  });

  // ---- table: sort, filter -------------------------------------------------------------------
  const table = document.getElementById('trial-table') as HTMLTableElement | null;
  const tbody = table?.tBodies[0];
  const rows = tbody ? Array.from(tbody.rows) : [];
  const keys = table ? Array.from(table.tHead!.rows[0]!.cells).map((c) => c.getAttribute('data-key') || '') : [];
  let sortCol = -1;
  let sortDir = 1;
  table?.tHead?.addEventListener('click', (ev) => {
    const th = (ev.target as Element).closest('th');
    if (!th) return;
    const col = Number(th.getAttribute('data-col'));
    sortDir = col === sortCol ? -sortDir : 1;
    sortCol = col;
    table.tHead!.querySelectorAll('th').forEach((h) => h.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
    const val = (r: HTMLTableRowElement): string | null => r.cells[col]!.getAttribute('data-v');
    rows.sort((a, b) => {
      const va = val(a);
      const vb = val(b);
      if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1; // blanks last either way
      const na = Number(va);
      const nb = Number(vb);
      const c = !isNaN(na) && !isNaN(nb) ? na - nb : va.localeCompare(vb);
      return sortDir * c;
    });
    for (const r of rows) tbody!.appendChild(r);
  });

  const filterEl = document.getElementById('table-filter') as HTMLInputElement | null;
  const countEl = document.getElementById('table-count');
  const clearBtn = document.getElementById('clear-brush') as HTMLButtonElement | null;
  type Test = (r: HTMLTableRowElement) => boolean;
  function parseFilter(text: string): Test[] {
    const tests: Test[] = [];
    for (const tok of text.trim().split(/[\s,]+/).filter(Boolean)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(<=|>=|!=|=|<|>)(.+)$/.exec(tok);
      const col = m ? keys.indexOf(m[1]!) : -1;
      if (m && col >= 0) {
        const op = m[2]!;
        const rhs = m[3]!;
        const rn = Number(rhs);
        tests.push((r) => {
          const v = r.cells[col]!.getAttribute('data-v');
          if (v === null) return false;
          const vn = Number(v);
          const numeric = !isNaN(vn) && !isNaN(rn);
          const c = numeric ? vn - rn : v.localeCompare(rhs);
          if (op === '=') return numeric ? c === 0 : v.toLowerCase() === rhs.toLowerCase();
          if (op === '!=') return numeric ? c !== 0 : v.toLowerCase() !== rhs.toLowerCase();
          return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
        });
      } else {
        const needle = tok.toLowerCase();
        tests.push((r) => (r.textContent || '').toLowerCase().includes(needle));
      }
    }
    return tests;
  }

  // ---- parallel coordinates brushing ---------------------------------------------------------
  const pc = document.getElementById('chart-parallel') as SVGSVGElement | null;
  const brushes = new Map<number, [number, number]>(); // axis → [yTop, yBottom] in SVG units
  const lineYs = new Map<number, number[]>(); // trial → y per axis
  pc?.querySelectorAll('polyline[data-t]').forEach((pl) => {
    const ys = (pl.getAttribute('points') || '').split(' ').map((p) => Number(p.split(',')[1]));
    lineYs.set(Number(pl.getAttribute('data-t')), ys);
  });
  const brushLayer = pc?.querySelector('g.brushes');
  const svgY = (ev: MouseEvent): number => {
    const pt = pc!.createSVGPoint();
    pt.x = ev.clientX;
    pt.y = ev.clientY;
    return pt.matrixTransform(pc!.getScreenCTM()!.inverse()).y;
  };
  let drag: { axis: number; y0: number; top: number; bottom: number; rect: SVGRectElement } | null = null;
  pc?.querySelectorAll('rect.brush-hit').forEach((hit) => {
    hit.addEventListener('mousedown', (ev) => {
      const e = ev as MouseEvent;
      e.preventDefault();
      const axis = Number(hit.getAttribute('data-axis'));
      const top = Number(hit.getAttribute('y'));
      const bottom = top + Number(hit.getAttribute('height'));
      let rect = brushLayer!.querySelector('rect[data-axis="' + axis + '"]') as SVGRectElement | null;
      if (!rect) {
        rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
        rect.setAttribute('class', 'brush');
        rect.setAttribute('data-axis', String(axis));
        rect.setAttribute('x', String(Number(hit.getAttribute('x')) + 4));
        rect.setAttribute('width', String(Number(hit.getAttribute('width')) - 8));
        brushLayer!.appendChild(rect);
      }
      const y0 = Math.min(bottom, Math.max(top, svgY(e)));
      rect.setAttribute('y', String(y0));
      rect.setAttribute('height', '0');
      drag = { axis, y0, top, bottom, rect };
    });
  });
  window.addEventListener('mousemove', (ev) => {
    if (!drag) return;
    const y = Math.min(drag.bottom, Math.max(drag.top, svgY(ev)));
    drag.rect.setAttribute('y', String(Math.min(y, drag.y0)));
    drag.rect.setAttribute('height', String(Math.abs(y - drag.y0)));
  });
  window.addEventListener('mouseup', () => {
    if (!drag) return;
    const y = Number(drag.rect.getAttribute('y'));
    const h = Number(drag.rect.getAttribute('height'));
    if (h < 3) {
      brushes.delete(drag.axis); // a click without a drag clears this axis
      drag.rect.remove();
    } else brushes.set(drag.axis, [y, y + h]);
    drag = null;
    apply();
  });
  clearBtn?.addEventListener('click', () => {
    brushes.clear();
    brushLayer?.querySelectorAll('rect.brush').forEach((r) => r.remove());
    apply();
  });

  /** Trial numbers inside every brush, or null when nothing is brushed. */
  function brushed(): Set<number> | null {
    if (brushes.size === 0) return null;
    const out = new Set<number>();
    lineYs.forEach((ys, n) => {
      for (const [axis, [lo, hi]] of brushes) {
        const y = ys[axis]!;
        if (!(y >= lo - 0.05 && y <= hi + 0.05)) return;
      }
      out.add(n);
    });
    return out;
  }

  function apply(): void {
    const sel = brushed();
    const tests = parseFilter(filterEl ? filterEl.value : '');
    let shown = 0;
    for (const r of rows) {
      const n = Number(r.getAttribute('data-t'));
      const ok = (sel === null || sel.has(n)) && tests.every((t) => t(r));
      r.hidden = !ok;
      if (ok) shown++;
    }
    if (countEl) countEl.textContent = shown + ' of ' + rows.length + ' trials' + (sel ? ' (brushed: ' + sel.size + ')' : '');
    if (clearBtn) clearBtn.hidden = sel === null;
    document.querySelectorAll('svg.chart [data-t]').forEach((el) => {
      const n = Number(el.getAttribute('data-t'));
      el.classList.toggle('off', sel !== null && !sel.has(n));
    });
  }
  filterEl?.addEventListener('input', apply);
}
