// Narrows the lists of the home page to the names that hold what is typed; without
// JavaScript the lists are simply whole.
(function () {
  var box = document.getElementById("filter");
  if (!box) { return; }
  box.addEventListener("input", function () {
    var wanted = box.value.trim().toLowerCase();
    var items = document.querySelectorAll("ul.entities li");
    for (var i = 0; i < items.length; i++) {
      items[i].hidden = wanted !== "" && items[i].textContent.toLowerCase().indexOf(wanted) < 0;
    }
  });
})();
