// Search pickers (bole.org.pickers): a chosen match becomes a checked box carrying its id; typing again
// clears a single picker's stale choice. HTMX fills the results; without this file the text box still works.
(function () {
  function choose(picker, option) {
    var box = picker.querySelector(".pick-chosen"), name = picker.dataset.name, id = option.dataset.id;
    var input = picker.querySelector("input[type=search]"), results = picker.querySelector(".pick-results");
    if (!picker.classList.contains("picker-multiple")) box.innerHTML = "";
    if (!box.querySelector('input[value="' + id + '"]')) {
      var chip = document.createElement("label"), check = document.createElement("input");
      chip.className = "pick-chip";
      check.type = "checkbox"; check.name = name; check.value = id; check.checked = true;
      chip.appendChild(check);
      chip.appendChild(document.createTextNode(option.dataset.label));
      box.appendChild(chip);
    }
    input.value = "";
    results.innerHTML = "";
    input.focus();
  }
  document.addEventListener("click", function (e) {
    var option = e.target.closest(".pick-option");
    if (option) choose(option.closest(".picker"), option);
  });
  document.addEventListener("change", function (e) {
    // An unticked choice goes away rather than lingering as an empty box.
    if (e.target.matches(".pick-chip input") && !e.target.checked) e.target.closest(".pick-chip").remove();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !e.target.matches(".picker input[type=search]")) return;
    var first = e.target.closest(".picker").querySelector(".pick-option");
    if (first) { e.preventDefault(); choose(e.target.closest(".picker"), first); }
  });
})();
