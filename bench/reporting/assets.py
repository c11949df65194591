"""The page's CSS and script, inline: a report opens from disk with no network."""

CSS = """
:root{--fg:#1d232a;--muted:#5b6673;--line:#d9dee4;--bg:#ffffff;--soft:#f5f7f9;--accent:#2457a6;
--probe:#ffc9c4;--probe-line:#c0392b;--full:#c9efcf;--partial:#fcefb4;--evidence:#ffe2b8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header.page{padding:18px 28px 10px;border-bottom:1px solid var(--line);background:var(--soft)}
header.page h1{margin:0 0 4px;font-size:22px}
header.page p{margin:0;color:var(--muted)}
nav a{margin-right:14px;color:var(--accent);text-decoration:none;font-size:14px}
main{padding:8px 28px 40px;max-width:1500px}
section{margin-top:26px}
h2{font-size:19px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:18px 0 6px}
h4{font-size:14px;margin:14px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
h5{font-size:13px;margin:8px 0 4px}
.notes{border-left:4px solid #d4a017;background:#fff8e1;padding:6px 12px;margin:12px 0}
.notes li{margin:2px 0}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
th,td{border:1px solid var(--line);padding:4px 8px;vertical-align:top}
th{background:var(--soft);text-align:left;white-space:nowrap}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.best{background:#e3f4e6;font-weight:600}
td.best::before{content:"\\2605  ";color:#1e7b34}
.ci{display:block;color:var(--muted);font-weight:400;font-size:11px}
.gold-run{color:var(--muted);font-style:italic}
table.leaderboard td:nth-child(2){white-space:nowrap}
table.leaderboard th{white-space:normal;vertical-align:bottom;min-width:4.5em}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
figure{margin:14px 0;padding:8px;border:1px solid var(--line);border-radius:6px;overflow-x:auto;background:#fff}
figure svg{max-width:100%;height:auto;display:block}
figcaption{font-size:13px;color:var(--muted);margin-top:4px}
.toolbar{display:flex;gap:8px;align-items:center;margin:8px 0}
.toolbar input{padding:4px 8px;border:1px solid var(--line);border-radius:4px;min-width:260px}
.toolbar button{padding:4px 10px;border:1px solid var(--line);border-radius:4px;background:var(--soft);cursor:pointer}
details.task{border:1px solid var(--line);border-radius:6px;margin:6px 0;background:#fff}
details.task>summary{cursor:pointer;padding:7px 10px;list-style:none;display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 8px}
details.task>summary::-webkit-details-marker{display:none}
details.task>summary::before{content:"\\25B8";color:var(--muted)}
details.task[open]>summary::before{content:"\\25BE"}
details.task[open]>summary{border-bottom:1px solid var(--line);background:var(--soft)}
.tid{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.ttitle{color:var(--muted)}
.chips{margin-left:auto}
.chip{display:inline-block;font-size:12px;padding:0 7px;margin-left:4px;border-radius:10px;background:var(--soft);border:1px solid var(--line)}
.chip.bad{border-color:var(--probe-line);color:var(--probe-line)}
.task-body{padding:4px 12px 12px}
.docs{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:10px}
.doc{border:1px solid var(--line);border-radius:6px;display:flex;flex-direction:column;min-width:0}
.doc header{padding:6px 8px;background:var(--soft);font-size:13px;border-bottom:1px solid var(--line)}
.doc header small{display:block;color:var(--muted)}
.doc-text,.summary-text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:13.5px}
.doc-text{padding:6px 8px;max-height:26em;overflow-y:auto}
.summary-card{border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:6px;margin:10px 0;padding:6px 10px}
.summary-card>header{font-weight:600;margin-bottom:4px}
.summary-card>header small{font-weight:400;color:var(--muted);margin-left:8px}
.summary-grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:14px}
@media (max-width:900px){.summary-grid{grid-template-columns:1fr}}
.side{font-size:13px}
.side ul{padding-left:18px;margin:4px 0}
.side li{margin:3px 0}
blockquote{margin:3px 0 3px 4px;padding:2px 8px;border-left:3px solid #e0a040;background:#fffaf0;font-size:12.5px}
mark{padding:0 1px;border-radius:2px;background:transparent}
mark.kf-partial{background:var(--partial)}
mark.kf-full{background:var(--full)}
mark.probe{background:var(--probe);border-bottom:2px solid var(--probe-line)}
mark.evidence{background:var(--evidence)}
mark.evidence.hit{border-bottom:2px solid var(--probe-line)}
li.full::marker{content:"\\2713  ";color:#1e7b34}
li.partial::marker{content:"\\00bd  ";color:#9a7b00}
li.none::marker{content:"\\2717  ";color:#999}
li.none{color:var(--muted)}
.legend mark{margin-right:10px}
.error{color:var(--probe-line)}
pre{background:var(--soft);padding:8px;border-radius:4px;overflow-x:auto;font-size:12px;max-height:30em}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
td.diff{background:#fff1e6}
"""

SCRIPT = """(function () {
  var tasks = Array.prototype.slice.call(document.querySelectorAll("details.task"));
  function setAll(open) { tasks.forEach(function (d) { if (!d.hidden) { d.open = open; } }); }
  var expand = document.getElementById("expand-all");
  var collapse = document.getElementById("collapse-all");
  var filter = document.getElementById("task-filter");
  if (expand) { expand.addEventListener("click", function () { setAll(true); }); }
  if (collapse) { collapse.addEventListener("click", function () { setAll(false); }); }
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      tasks.forEach(function (d) { d.hidden = q !== "" && d.getAttribute("data-search").indexOf(q) < 0; });
    });
  }
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    for (var el = target; el; el = el.parentElement) { if (el.tagName === "DETAILS") { el.open = true; } }
    if (target) { target.scrollIntoView({block: "center"}); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
"""
