// Preview tooling: gated demo scripts call assentPreview.ran(id, category) when
// they run; the end-to-end tests read assentPreview.runs to prove that each ran
// exactly once, and only after consent to its category.
(function () {
  var runs = {};
  function render() {
    var list = document.getElementById("preview-log-list");
    if (!list) return;
    list.textContent = "";
    var ids = Object.keys(runs);
    if (ids.length === 0) {
      list.innerHTML = "<li>None yet.</li>";
      return;
    }
    ids.forEach(function (id) {
      var li = document.createElement("li");
      li.textContent = id + " (" + runs[id].category + ") ran " + runs[id].count + "×";
      list.appendChild(li);
    });
  }
  window.assentPreview = {
    runs: runs,
    ran: function (id, category) {
      runs[id] = runs[id] || { category: category, count: 0 };
      runs[id].count += 1;
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", render);
      } else {
        render();
      }
    },
  };
})();
