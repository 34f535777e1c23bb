#include "service/report/report_assets.h"

namespace pm::service {

const char kReportJs[] = R"js(
(function () {
  'use strict';
  var all = function (selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  };
  // --- filters: country, kind, theme ---------------------------------------
  var country = document.getElementById('f-country');
  var kind = document.getElementById('f-kind');
  var theme = document.getElementById('f-theme');
  var places = {};
  all('article.place').forEach(function (a) { places[a.getAttribute('data-id')] = a; });
  var has = function (el, attribute, value) {
    return !value || (el.getAttribute(attribute) || '').split(' ').indexOf(value) >= 0;
  };
  var matches = function (el) {
    return has(el, 'data-countries', country.value) && has(el, 'data-kinds', kind.value) &&
        has(el, 'data-themes', theme.value);
  };
  var apply = function () {
    all('.filterable').forEach(function (el) { el.classList.toggle('hidden', !matches(el)); });
    var dimmed = {};
    all('svg.graph g.node').forEach(function (node) {
      var id = node.getAttribute('data-id');
      var place = places[id];
      var off = place ? !matches(place) : false;
      if (off) dimmed[id] = true;
      node.classList.toggle('dim', off);
    });
    all('svg.graph g.edge').forEach(function (edge) {
      edge.classList.toggle('dim', !!(dimmed[edge.getAttribute('data-a')] ||
                                      dimmed[edge.getAttribute('data-b')]));
    });
    var shown = all('article.place').filter(function (a) { return !a.classList.contains('hidden'); });
    document.getElementById('filter-count').textContent =
        shown.length + ' of ' + all('article.place').length + ' places';
  };
  [country, kind, theme].forEach(function (s) { s.addEventListener('change', apply); });
  document.getElementById('f-reset').addEventListener('click', function () {
    country.value = ''; kind.value = ''; theme.value = ''; apply();
  });
  // --- sortable tables ------------------------------------------------------
  var value = function (row, column) {
    var cell = row.cells[column];
    var text = cell ? (cell.getAttribute('data-sort') || cell.textContent.trim()) : '';
    var number = parseFloat(text);
    return isNaN(number) || !/^-?[0-9.]+/.test(text) ? text.toLowerCase() : number;
  };
  all('table.sortable').forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, column) {
      if (th.classList.contains('nosort')) return;
      th.classList.add('sort');
      th.addEventListener('click', function () {
        var ascending = th.getAttribute('data-dir') !== 'asc';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('data-dir'); });
        th.setAttribute('data-dir', ascending ? 'asc' : 'desc');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = value(a, column), y = value(b, column);
          var order = typeof x === 'number' && typeof y === 'number'
              ? x - y : String(x).localeCompare(String(y));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  // A link may preset the filters: report.html?country=ES&theme=water
  var preset = new URLSearchParams(window.location.search);
  if (preset.get('country')) country.value = preset.get('country');
  if (preset.get('kind')) kind.value = preset.get('kind');
  if (preset.get('theme')) theme.value = preset.get('theme');
  apply();
  document.body.setAttribute('data-ready', 'yes');
})();
)js";

}  // namespace pm::service
