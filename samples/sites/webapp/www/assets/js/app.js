/* Theme script of the sample site "webapp": the main menu is built from /api/menu.json
   (nothing of it is in the HTML), and the ITA widget draws the EIT survey QR code on a
   <canvas> from window.EIT_QR (assets/js/eit-qr.js: module rows, no URL, no image file). */
(function () {
  "use strict";

  function buildMenu(items, parent) {
    items.forEach(function (item) {
      var li = document.createElement("li");
      if (item.children) {
        li.className = "has-sub";
        var label = document.createElement("span");
        label.textContent = item.title;
        li.appendChild(label);
        var sub = document.createElement("ul");
        buildMenu(item.children, sub);
        li.appendChild(sub);
      } else {
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = item.title;
        if (item.external) {
          a.target = "_blank";
          a.rel = "noopener";
        }
        li.appendChild(a);
      }
      parent.appendChild(li);
    });
  }

  function loadMenu() {
    var nav = document.getElementById("main-menu");
    if (!nav) return;
    fetch("/api/menu.json", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (items) {
        var ul = document.createElement("ul");
        buildMenu(items, ul);
        nav.appendChild(ul);
      })
      .catch(function () {
        nav.textContent = "โหลดเมนูไม่สำเร็จ";
      });
  }

  function drawQr() {
    var canvas = document.getElementById("eit-qr");
    var qr = window.EIT_QR;
    if (!canvas || !qr || !canvas.getContext) return;
    var quiet = 4;
    var module = 5;
    var css = (qr.size + 2 * quiet) * module;
    var ratio = window.devicePixelRatio || 1;
    canvas.style.width = css + "px";
    canvas.style.height = css + "px";
    canvas.width = Math.round(css * ratio);
    canvas.height = Math.round(css * ratio);
    var ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, css, css);
    ctx.fillStyle = "#1b2a49";
    qr.rows.forEach(function (row, y) {
      for (var x = 0; x < row.length; x++) {
        if (row.charAt(x) === "1") {
          ctx.fillRect((x + quiet) * module, (y + quiet) * module, module, module);
        }
      }
    });
  }

  loadMenu();
  drawQr();
})();
