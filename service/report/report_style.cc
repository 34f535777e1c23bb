#include "service/report/report_assets.h"

namespace pm::service {

const char kReportCss[] = R"css(
:root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f7f8fa;
  --accent: #1f4e9c; --eu: #1f4e9c; --partner: #c0661a;
  --offer: rgb(27,158,119); --seek: rgb(217,95,2); --both: rgb(117,112,179);
  --context: rgb(150,150,150); }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "Segoe UI", "Helvetica Neue", Helvetica, Arial,
  "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
header.top { background: #fff; border-bottom: 1px solid var(--line); padding: 22px 32px 14px; }
header.top h1 { margin: 0 0 4px; font-size: 26px; font-weight: 650; letter-spacing: -0.01em; }
header.top .sub { margin: 0; color: var(--muted); font-size: 13px; }
nav.bar { position: sticky; top: 0; z-index: 5; background: rgba(255,255,255,.97);
  border-bottom: 1px solid var(--line); padding: 8px 32px; display: flex; flex-wrap: wrap;
  gap: 10px 18px; align-items: center; font-size: 13px; }
nav.bar a { color: var(--accent); text-decoration: none; }
nav.bar .filters { margin-left: auto; display: flex; gap: 10px; align-items: center; }
nav.bar select { font: inherit; padding: 3px 6px; border: 1px solid #cbd2d9; border-radius: 6px;
  background: #fff; max-width: 220px; }
nav.bar button { font: inherit; padding: 3px 10px; border: 1px solid #cbd2d9; border-radius: 6px;
  background: #fff; cursor: pointer; }
#filter-count { color: var(--muted); }
main { max-width: 1280px; margin: 0 auto; padding: 8px 32px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 18px 22px; margin: 18px 0; }
h2 { margin: 0 0 10px; font-size: 19px; font-weight: 650; }
h3 { font-size: 16px; margin: 16px 0 8px; }
h4 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
  margin: 8px 0 6px; }
.note { color: var(--muted); font-size: 13px; margin: 4px 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(118px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #fbfcfd;
  font-size: 13px; color: var(--muted); }
.card .big { font-size: 26px; font-weight: 650; color: var(--ink); line-height: 1.2; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 22px; align-items: start; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
caption { text-align: left; font-weight: 600; padding: 4px 0 6px; }
th, td { text-align: left; vertical-align: top; padding: 7px 9px; border-bottom: 1px solid var(--line); }
thead th { background: #f1f3f5; font-weight: 600; font-size: 12.5px; color: #3e4c59; }
th.sort { cursor: pointer; user-select: none; }
th.sort::after { content: " ↕"; color: #9aa5b1; font-size: 11px; }
th[data-dir="asc"]::after { content: " ↑"; color: var(--ink); }
th[data-dir="desc"]::after { content: " ↓"; color: var(--ink); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
table.compact { width: auto; min-width: 60%; }
table.plan td.members { min-width: 190px; }
table.plan td.why { width: 62%; }
tr.weak td { background: #fff8e6; }
a.member { display: inline-block; text-decoration: none; color: var(--ink); font-weight: 600;
  border-left: 4px solid var(--eu); padding-left: 6px; margin: 1px 0; }
a.member.partner { border-left-color: var(--partner); }
.score { font-variant-numeric: tabular-nums; font-weight: 600; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px;
  border-radius: 10px; background: #e4e7eb; color: #3e4c59; margin-top: 3px; }
.badge.weak { background: #ffe3a3; color: #7a4d00; }
.badge.fixed, .badge.accepted { background: #d3f0e3; color: #0b6b47; }
.badge.declined { background: #fde0dd; color: #9b1c1c; }
.badge.existing { background: #dde7f7; color: #1f4e9c; }
.reason { margin: 2px 0 8px; }
.reason.none { color: var(--muted); font-style: italic; }
.contribution { display: inline-block; min-width: 52px; font-variant-numeric: tabular-nums;
  color: #0b6b47; font-weight: 600; }
blockquote { margin: 3px 0 3px 52px; padding: 2px 10px; border-left: 3px solid var(--line);
  color: #3e4c59; font-size: 12.5px; }
mark { background: #fff0a8; padding: 0 1px; border-radius: 2px; }
.pair-head { font-weight: 600; margin-top: 6px; }
details summary { cursor: pointer; color: var(--accent); font-size: 12.5px; margin-left: 52px; }
.scroll { overflow-x: auto; }
table.heatmap { width: auto; border-collapse: separate; border-spacing: 2px; font-size: 12.5px; }
table.heatmap th, table.heatmap td { border: none; padding: 0; }
table.heatmap th.place { padding: 2px 10px 2px 0; white-space: nowrap; font-weight: 500;
  background: none; }
table.heatmap th.place a { color: var(--ink); text-decoration: none; }
table.heatmap th.theme { height: 150px; width: 22px; vertical-align: bottom; background: none;
  font-weight: 500; }
table.heatmap th.theme span { writing-mode: vertical-rl; transform: rotate(180deg);
  white-space: nowrap; display: inline-block; padding-bottom: 4px; }
table.heatmap td { width: 22px; height: 20px; background: #f3f4f6; border-radius: 3px; }
.cc { color: var(--muted); font-size: 11.5px; }
.legend { font-size: 12.5px; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin: 0 4px 0 10px;
  vertical-align: -1px; }
.role-offer.swatch, .chip.role-offer { background: var(--offer); }
.role-seek.swatch, .chip.role-seek { background: var(--seek); }
.role-both.swatch, .chip.role-both { background: var(--both); }
.role-context.swatch, .chip.role-context { background: var(--context); }
.chip { display: inline-block; color: #fff; font-size: 12px; font-weight: 600; padding: 1px 8px;
  border-radius: 10px; }
.chip.cluster { color: #1f2933; }
.figure { overflow-x: auto; text-align: center; }
.figure svg { max-width: 100%; height: auto; }
svg.graph g.node, svg.graph g.edge { transition: opacity .15s; }
svg.graph .dim { opacity: .12; }
article.place { border-top: 1px solid var(--line); padding: 6px 0 10px; }
article.place h3 .meta { font-weight: 400; color: var(--muted); font-size: 13px; }
ul.themes { list-style: none; padding: 0; margin: 0; }
ul.themes li { margin: 0 0 8px; font-size: 13px; }
ul.themes blockquote { margin-left: 14px; }
.weight { color: var(--muted); font-variant-numeric: tabular-nums; }
ol.suggestions { padding-left: 20px; margin: 0; font-size: 13px; }
ol.suggestions li { margin-bottom: 8px; }
.penalty { color: #9b1c1c; font-size: 12.5px; }
.hidden { display: none !important; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 10px 0 30px; }
@media print { nav.bar { display: none; } section { break-inside: auto; border: none; }
  body { background: #fff; } }
)css";

}  // namespace pm::service
