/**
 * The page script of the report. It is type-checked here and inlined with
 * `(${reportClient.toString()})()`, so it must not refer to anything outside its own body (no
 * imports, no module-level helpers). It only adds interaction to markup that is complete without
 * it: tooltips, trial details on click, table sorting and filtering, and brushing on the parallel
 * coordinates, which filters the table and fades the other charts.
 */

/** The data block embedded as JSON in the page (`#ss-data`). */
export interface ClientData {
  readonly params: readonly string[];
  readonly metrics: readonly string[];
  readonly headline: readonly string[];
  readonly trials: readonly {
    readonly n: number;
    readonly s: string;
    readonly p: Readonly<Record<string, unknown>>;
    readonly m: Readonly<Record<string, number>> | null;
    readonly a: Readonly<Record<string, string>>;
    readonly e: string | null;
    readonly E: number | null;
    readonly t0: string | null;
    readonly t1: string | null;
    readonly d: number | null;
    readonly iv: number;
  }[];
}

export function reportClient(): void {
  const dataEl = document.getElementById('ss-data');
  if (!dataEl) return;
  const data = JSON.parse(dataEl.textContent || '{}') as ClientData;
  type T = ClientData['trials'][number];
  const byN = new Map<number, T>();
  for (const t of data.trials) byN.set(t.n, t);

  const escHtml = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
  const num = (v: unknown): string => {
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(+v.toPrecision(4));
  };

  /** A metric value as text; sizes in bits (`*_bits`) as bytes with a binary prefix. */
  const metric = (name: string, v: number): string => {
    if (!/_bits$/.test(name) || !isFinite(v)) return num(v);
    let b = v / 8;
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return +b.toPrecision(3) + ' ' + units[u];
  };

  // ---- tooltip -------------------------------------------------------------------------------
  const tip = document.getElementById('tip') as HTMLDivElement;
  const tipHtml = (t: T): string => {
    let h = '<b>Trial #' + t.n + '</b> <span class="st ' + t.s + '">' + t.s + '</span><table>';
    for (const p of data.params) h += '<tr><td>' + escHtml(p) + '</td><td>' + escHtml(num(t.p[p])) + '</td></tr>';
    if (t.m) for (const m of data.headline) if (t.m[m] !== undefined) h += '<tr class="m"><td>' + escHtml(m) + '</td><td>' + escHtml(metric(m, t.m[m]!)) + '</td></tr>';
    if (t.E !== null) h += '<tr class="m"><td>E</td><td>' + escHtml(num(t.E)) + '</td></tr>';
    if (t.e) h += '<tr class="m"><td>error</td><td>' + escHtml(t.e.slice(0, 160)) + '</td></tr>';
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
      highlight(t.n, true);
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
      if (t) highlight(t.n, false);
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
    selected = t.n;
    document.querySelectorAll('[data-t="' + t.n + '"]').forEach((el) => el.classList.add('sel'));
    let h = '<button type="button" class="close" aria-label="close">×</button><h3>Trial #' + t.n + ' <span class="st ' + t.s + '">' + t.s + '</span></h3>';
    h += '<h4>Parameters</h4><table>';
    for (const p of data.params) h += '<tr><td>' + escHtml(p) + '</td><td>' + escHtml(num(t.p[p])) + '</td></tr>';
    h += '</table>';
    if (t.m) {
      h += '<h4>Metrics</h4><table>';
      for (const m of data.metrics)
        if (t.m[m] !== undefined) h += '<tr><td>' + escHtml(m) + '</td><td>' + escHtml(metric(m, t.m[m]!)) + (/_bits$/.test(m) ? ' (' + num(t.m[m]) + ')' : '') + '</td></tr>';
      if (t.E !== null) h += '<tr><td>E</td><td>' + escHtml(num(t.E)) + '</td></tr>';
      h += '</table>';
    }
    const attrs = Object.keys(t.a);
    if (attrs.length) {
      h += '<h4>Attributes</h4><table>';
      for (const k of attrs) h += '<tr><td>' + escHtml(k) + '</td><td>' + escHtml(t.a[k]) + '</td></tr>';
      h += '</table>';
    }
    h += '<h4>Timing</h4><table><tr><td>started</td><td>' + escHtml(t.t0 || '–') + '</td></tr><tr><td>finished</td><td>' + escHtml(t.t1 || '–') + '</td></tr>';
    h += '<tr><td>duration</td><td>' + (t.d === null ? '–' : escHtml(num(t.d / 1000)) + ' s') + '</td></tr><tr><td>intermediate values</td><td>' + t.iv + '</td></tr></table>';
    if (t.e) h += '<h4>Error</h4><pre>' + escHtml(t.e) + '</pre>';
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
