// Small progressive enhancement only: every page works without this file.
// Filter forms submit themselves when a select changes (the submit button stays for
// readers without JavaScript); the print button of the item and agency pages prints.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.autosubmit select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
