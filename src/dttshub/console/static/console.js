// The province console's small enhancements; every page works without them.
// 1. A search box with data-filter="table-id" filters that table's rows as one types (diacritics ignored).
// 2. A checkbox with data-select-all="name" (hidden without script) ticks every checkbox of that name.
(function () {
  "use strict";
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filter]").forEach(function (box) {
      var table = document.getElementById(box.getAttribute("data-filter"));
      if (!table) { return; }
      box.addEventListener("input", function () {
        var needle = fold(box.value);
        table.querySelectorAll("tbody tr[data-search]").forEach(function (row) {
          row.hidden = needle !== "" && fold(row.getAttribute("data-search")).indexOf(needle) < 0;
        });
      });
    });
    document.querySelectorAll("input[data-select-all]").forEach(function (all) {
      var name = all.getAttribute("data-select-all");
      all.hidden = false;
      all.addEventListener("change", function () {
        document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
          box.checked = all.checked;
        });
      });
    });
  });
})();
