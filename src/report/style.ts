/** The page's stylesheet (system fonts only: the report makes no network requests). */
import { CHART_CSS } from './svg.js';

export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#222;background:#f6f6f4}
header,main,footer{max-width:1360px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:22px;margin:0 0 4px}
h1 small{font-weight:400;color:#666;font-size:14px}
h2{font-size:17px;margin:0 0 6px}
h3{margin:0 0 8px;font-size:16px}
h4{margin:12px 0 4px;font-size:13px;color:#555;text-transform:uppercase;letter-spacing:.04em}
.facts{display:flex;flex-wrap:wrap;gap:6px 22px;margin:8px 0 12px;color:#444}
.facts b{color:#111}
.live{background:#E69F00;color:#fff;border-radius:3px;padding:1px 6px;font-size:12px;margin-left:6px}
.rec{background:#fff;border:1px solid #ddd;border-left:4px solid #D55E00;border-radius:4px;padding:10px 14px;margin:0 0 14px;display:flex;flex-wrap:wrap;gap:4px 28px}
.rec .big{font-size:18px;font-weight:600}
.rec .cfg code{background:#f3f0ea;padding:1px 5px;border-radius:3px;margin-right:4px;display:inline-block}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:14px}
section.card{background:#fff;border:1px solid #ddd;border-radius:4px;padding:12px 14px;margin-bottom:14px;min-width:0}
.card svg.chart{max-width:100%;height:auto;display:block}
.scroll{overflow-x:auto}
.caption{color:#555;font-size:12.5px;margin:6px 0 0}
.note{color:#666}
.chart .pt,.chart .pc,.chart .curve{cursor:pointer}
.chart .pt.hl,.chart .pt.sel{stroke:#000;stroke-width:2;opacity:1}
.chart .pc.hl,.chart .pc.sel,.chart .curve.hl,.chart .curve.sel{stroke-width:3;opacity:1}
.chart .off{opacity:.05!important}
.chart .pc.off{opacity:.03!important}
.chart .brush{fill:#D55E00;fill-opacity:.18;stroke:#D55E00;stroke-width:1;pointer-events:none}
.chart .brush-hit{cursor:ns-resize}
.table-tools{display:flex;align-items:center;gap:10px;margin-bottom:6px}
#table-filter{width:420px;max-width:100%;padding:4px 8px;font:inherit;border:1px solid #bbb;border-radius:3px}
#table-count{color:#555}
.table-wrap{overflow:auto;max-height:560px;max-width:100%;border:1px solid #e2e2e2}
table{border-collapse:collapse}
#trial-table{font-size:12.5px;width:100%}
#trial-table th{position:sticky;top:0;background:#efefec;cursor:pointer;text-align:right;padding:4px 8px;white-space:nowrap;user-select:none}
#trial-table th[aria-sort=ascending]::after{content:" ▲"}
#trial-table th[aria-sort=descending]::after{content:" ▼"}
#trial-table th:first-child,#trial-table td:first-child{position:sticky;left:0;background:#fff;z-index:1}
#trial-table th:first-child{z-index:2;background:#efefec}
#trial-table td{padding:2px 8px;text-align:right;border-top:1px solid #eee;white-space:nowrap;font-variant-numeric:tabular-nums}
#trial-table tr{cursor:pointer}
#trial-table tr:hover{background:#f4f8fc}
#trial-table tr.sel{background:#fff1e0}
#trial-table tr.failed td{color:#b3470b}
#trial-table tr.infeasible td{font-style:italic}
#trial-table tr.recommended{box-shadow:inset 4px 0 #D55E00}
.failures{list-style:none;padding:0;margin:0}
.failures li{border-top:1px solid #eee;padding:6px 0;cursor:pointer}
.failures pre,#details pre{white-space:pre-wrap;background:#fbf3ee;padding:6px 8px;margin:4px 0 0;font-size:12px;border-radius:3px;max-height:12em;overflow:auto}
.failures .params{color:#555}
#tip{position:absolute;z-index:10;background:rgba(255,255,255,.97);border:1px solid #999;border-radius:4px;padding:6px 8px;font-size:12px;pointer-events:none;box-shadow:0 2px 8px rgba(0,0,0,.15);max-width:320px}
#tip table td{padding:0 6px 0 0}
#tip tr.m td{color:#0b4f80}
.st{font-size:11px;border-radius:3px;padding:0 5px;background:#e8e8e8}
.st.complete{background:#d9ecf7}.st.failed{background:#f8dccb}.st.running{background:#fbe7c1}
#details{position:fixed;right:16px;top:16px;bottom:16px;width:340px;overflow:auto;background:#fff;border:1px solid #bbb;border-radius:6px;padding:12px 14px;box-shadow:0 4px 18px rgba(0,0,0,.18);z-index:20}
#details table td{padding:1px 10px 1px 0;font-variant-numeric:tabular-nums}
#details .close{position:absolute;right:8px;top:6px;border:0;background:none;font-size:20px;cursor:pointer}
footer{color:#777;font-size:12px;padding-bottom:24px}
${CHART_CSS}
`;
