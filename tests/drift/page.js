/* The redrawn page's own script (tests/drift/page.py): switches that save their own way, beacons,
 * obstacles that answer their buttons, late controls, menus and tabs. Config: window.__page. */
(function () {
  "use strict";
  var C = window.__page, A = C.attr;
  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1);
    }
    return "";
  }
  function post(path, body) {
    try { fetch(path, { method: "POST", body: body || "{}", keepalive: true, credentials: "same-origin" }); } catch (e) {}
  }
  function beacon(n) { if (C.beacons) post(C.track[n], JSON.stringify({ t: Date.now() })); }
  function isOn(el) { return el.tagName === "INPUT" ? el.checked : el.getAttribute("aria-checked") === "true"; }
  function show(el, on) {
    if (el.tagName === "INPUT") el.checked = on;
    if (el.hasAttribute("aria-checked")) el.setAttribute("aria-checked", String(on));
    var word = document.querySelector("[" + A + "-word='" + el.getAttribute(A) + "']");
    if (word) word.textContent = on ? C.words[0] : C.words[1];
  }
  function save(el, key, on, before) {
    var headers = {};
    headers[C.csrf[1]] = cookie(C.csrf[0]).replace(/^"|"$/g, "");
    var body;
    if (C.url.indexOf("{key}") < 0) { headers["Content-Type"] = "application/json"; body = JSON.stringify({ key: key, enabled: on }); }
    else if (C.encoding === "json") { headers["Content-Type"] = "application/json"; body = JSON.stringify({ value: on }); }
    else { headers["Content-Type"] = "application/x-www-form-urlencoded"; body = "value=" + on; }
    fetch(C.url.replace("{key}", encodeURIComponent(key)), { method: C.method, headers: headers, body: body, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); beacon(3); })
      .catch(function () { show(el, before); });
  }
  function toggle(el) {
    var key = C.keys[parseInt(el.getAttribute(A), 10)];
    var before = el.tagName === "INPUT" ? !el.checked : isOn(el);
    var on = el.tagName === "INPUT" ? el.checked : !before;
    show(el, on);
    beacon(2);
    setTimeout(function () { save(el, key, on, before); }, C.debounce);
  }
  document.addEventListener("pointerdown", function (e) {
    if (e.target.closest && e.target.closest("[" + A + "]")) beacon(1);
  }, true);
  document.addEventListener("click", function (e) {
    var el = e.target.closest("[" + A + "]");
    if (el && el.tagName !== "INPUT") toggle(el);
  });
  document.addEventListener("change", function (e) {
    if (e.target.tagName === "INPUT" && e.target.hasAttribute(A)) toggle(e.target);
  });
  document.addEventListener("keydown", function (e) {
    var el = e.target.closest && e.target.closest("div[" + A + "]");
    if (el && (e.key === " " || e.key === "Enter")) { e.preventDefault(); toggle(el); }
    if (e.key === "Escape" && C.escapeCloses) {
      ["promo", "tour"].forEach(function (k) { close(k); });
    }
  });
  function close(kind) {
    var box = document.querySelector("[" + A + "-act-box='" + kind + "']");
    if (box) box.remove();
    if (kind === "tour") localStorage.setItem("tour-done", "1");
  }
  var step = 1;
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[" + A + "-act]");
    if (!b) return;
    var act = b.getAttribute(A + "-act");
    if (act === "accept" || act === "reject") {
      document.cookie = "li_gc=" + act + "; path=/";
      post("/cookie-consent/", "choice=" + act);
      close("cookie");
    } else if (act === "offer") {
      post("/premium/trial/start", "{}");
      close("promo");
    } else if (act === "dismiss") {
      close("promo");
    } else if (act === "skip") {
      close("tour");
    } else if (act === "next") {
      step += 1;
      if (step > 3) close("tour");
      else document.querySelector("[" + A + "-act-step]").textContent = step + " / 3";
    }
  });
  if (localStorage.getItem("tour-done")) close("tour");
  if (!C.promoEveryLoad) {
    if (sessionStorage.getItem("promo-seen")) close("promo");
    sessionStorage.setItem("promo-seen", "1");
  }
  /* Menus and dialogs (aria-controls + aria-expanded) and tabs (role=tab + aria-controls). */
  document.addEventListener("click", function (e) {
    var t = e.target.closest && e.target.closest("[aria-controls][aria-expanded]");
    if (t && !t.hasAttribute(A)) {
      var panel = document.getElementById(t.getAttribute("aria-controls"));
      var open = t.getAttribute("aria-expanded") !== "true";
      t.setAttribute("aria-expanded", String(open));
      if (panel) panel.hidden = !open;
    }
    var tab = e.target.closest && e.target.closest('[role="tab"][aria-controls]');
    if (tab) {
      tab.closest('[role="tablist"]').querySelectorAll('[role="tab"][aria-controls]').forEach(function (o) {
        o.setAttribute("aria-selected", String(o === tab));
        var p = document.getElementById(o.getAttribute("aria-controls"));
        if (p) p.hidden = o !== tab;
      });
    }
  });
  beacon(0);
  document.querySelectorAll("template[" + A + "-later]").forEach(function (tpl) {
    setTimeout(function () { tpl.replaceWith(tpl.content.cloneNode(true)); }, parseInt(tpl.getAttribute(A + "-later"), 10));
  });
})();
