/* The fake site's behaviour, injected into every page it serves (fixtures hold no scripts).
 * CONFIG comes from the site manifest; nothing here names a particular site. */
(function () {
  "use strict";
  var C = window.__fakeSite;

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1);
    }
    return "";
  }

  function csrfToken() {
    return cookie(C.csrfCookie).replace(/^"|"$/g, "");
  }

  /* Disclosure menus (the account menu): a button with aria-controls/aria-expanded shows its panel. */
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("button[aria-controls][aria-expanded]");
    if (!trigger || trigger.matches("[role=switch]")) return;
    var panel = document.getElementById(trigger.getAttribute("aria-controls"));
    if (!panel) return;
    var open = trigger.getAttribute("aria-expanded") !== "true";
    trigger.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
  });

  /* Tabs (a settings dialog's sections): the clicked [role=tab] is selected and shows its panel;
   * the other tabs of its tablist hide theirs. */
  document.addEventListener("click", function (event) {
    var tab = event.target.closest('[role="tab"][aria-controls]');
    if (!tab) return;
    var list = tab.closest('[role="tablist"]');
    var tabs = list ? list.querySelectorAll('[role="tab"][aria-controls]') : [tab];
    Array.prototype.forEach.call(tabs, function (other) {
      var selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      var panel = document.getElementById(other.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    });
  });

  /* Switches: show the new state at once, save it, and put it back if the save fails. */
  function show(sw, on) {
    sw.setAttribute("aria-checked", String(on));
    if (sw.tagName === "INPUT") sw.checked = on;
    var wrapper = sw.closest("." + C.wrapperClass);
    if (!wrapper) return;
    wrapper.classList.toggle(C.toggledClass, on);
    var text = wrapper.querySelector("." + C.textClass);
    if (text) text.textContent = on ? C.words[0] : C.words[1];
  }

  function toast(message) {
    var item = document.createElement("div");
    item.className = C.toastClass;
    item.setAttribute("role", "alert");
    item.setAttribute("data-test-artdeco-toast-item", "");
    var text = document.createElement("p");
    text.className = C.toastClass + "__message";
    text.textContent = message;
    item.appendChild(text);
    document.body.appendChild(item);
  }

  function save(sw, on, before) {
    var headers = { "content-type": "application/json" };
    headers[C.csrfHeader] = csrfToken();
    sw.setAttribute("aria-busy", "true");
    // Tracking beacons go out first, as on LinkedIn's settings pages (they are not the save).
    (C.beacons || []).forEach(function (path) {
      fetch(path, { method: "POST", credentials: "same-origin", body: "{}", keepalive: true }).catch(function () {});
    });
    fetch(C.settingsApi.replace("{key}", encodeURIComponent(keyOf(sw))), {
      method: C.settingsMethod || "POST",
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify({ key: keyOf(sw), enabled: on }),
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { show(sw, data.enabled === true); })
      .catch(function () { show(sw, before); toast(C.saveError); })
      .then(function () { sw.removeAttribute("aria-busy"); });
  }

  /* The switch's key: the fake-only data-fake-switch when the real markup has no stable key. */
  function keyOf(sw) {
    return sw.getAttribute("data-fake-switch") || sw.getAttribute("aria-labelledby");
  }

  document.addEventListener("click", function (event) {
    var sw = event.target.closest('[role="switch"][aria-labelledby], [data-fake-switch]');
    if (!sw || sw.disabled || sw.getAttribute("aria-disabled") === "true") return;
    var before = sw.getAttribute("aria-checked") === "true";
    // A native checkbox has already flipped when the click event arrives; a button has not.
    var on = sw.tagName === "INPUT" ? sw.checked : !before;
    show(sw, on);
    save(sw, on, before);
  });

  /* Banners, promos and tours ([data-fake-obstacle]): a button with data-fake-choice reports the press
   * and closes its banner; Escape closes the last one that allows it (data-fake-escape). */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fake-choice]");
    if (!button) return;
    fetch("/_fake/choice?c=" + encodeURIComponent(button.getAttribute("data-fake-choice")),
          { method: "POST", credentials: "same-origin", keepalive: true }).catch(function () {});
    var box = button.closest("[data-fake-obstacle]");
    if (box && button.getAttribute("data-fake-choice") !== "stay") box.remove();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var boxes = document.querySelectorAll("[data-fake-obstacle][data-fake-escape]");
    if (boxes.length) boxes[boxes.length - 1].remove();
  });

  /* The form-less sign-in layout: post the fields the way the classic form would. */
  function submitFormless(box) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = C.loginSubmit;
    form.hidden = true;
    function add(name, value) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    var user = box.querySelector('input[autocomplete="username"]');
    var pass = box.querySelector('input[type="password"]');
    add(C.usernameField, user ? user.value : "");
    add(C.passwordField, pass ? pass.value : "");
    box.querySelectorAll('input[type="hidden"][name]').forEach(function (h) { add(h.name, h.value); });
    document.body.appendChild(form);
    form.submit();
  }

  if (C.formlessContainer) {
    document.addEventListener("click", function (event) {
      var button = event.target.closest(C.formlessContainer + ' button[type="button"]');
      if (button) submitFormless(button.closest(C.formlessContainer));
    });
    document.addEventListener("keydown", function (event) {
      var box = event.key === "Enter" && event.target.closest && event.target.closest(C.formlessContainer);
      if (box && event.target.tagName === "INPUT") submitFormless(box);
    });
  }

  /* An app-style sign-in (the React /login of 2026): its button posts what the VISIBLE fields hold, as the
   * app sends its own state; hidden duplicates stay out. Single sign-on buttons lead to /fake-sso/<name>. */
  function shown(el) {
    return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  }
  function firstShown(selector) {
    var all = document.querySelectorAll(selector);
    for (var i = 0; i < all.length; i++) if (shown(all[i])) return all[i];
    return null;
  }
  document.addEventListener("click", function (event) {
    var t = event.target.closest && event.target.closest(
      "[data-fake-login-submit], [data-fake-sso], [data-fake-show-password]");
    if (!t) return;
    if (t.hasAttribute("data-fake-sso")) {
      location.assign("/fake-sso/" + t.getAttribute("data-fake-sso"));
    } else if (t.hasAttribute("data-fake-show-password")) {
      var field = document.getElementById(t.getAttribute("aria-controls"));
      if (field) field.type = field.type === "password" ? "text" : "password";
    } else {
      var form = document.createElement("form");
      form.method = "post";
      form.action = C.loginSubmit;
      form.hidden = true;
      var user = firstShown('input[autocomplete~="username"], input[type="email"]');
      var pass = firstShown('input[type="password"]');
      var back = document.querySelector('input[type="hidden"][name="' + C.redirectField + '"]');
      [[C.usernameField, user ? user.value : ""], [C.passwordField, pass ? pass.value : ""],
       [C.redirectField, back ? back.value : ""]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        form.appendChild(input);
      });
      document.body.appendChild(form);
      form.submit();
    }
  });

  /* Slow hydration: <template data-fake-hydrate-ms="N"> becomes live after N ms. */
  document.querySelectorAll("template[data-fake-hydrate-ms]").forEach(function (tpl) {
    var ms = parseInt(tpl.getAttribute("data-fake-hydrate-ms"), 10) || 0;
    setTimeout(function () { tpl.replaceWith(tpl.content.cloneNode(true)); }, ms);
  });
})();
