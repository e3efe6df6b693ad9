// Public dashboard: a new selection is fetched and swapped in place, without reloading the page or
// moving the focus; the address follows, so that a selection can be shared. Without JavaScript the
// form's « Afficher » button does the same with a page load.
(function () {
  "use strict";
  var form = document.getElementById("filtres");
  var results = document.getElementById("resultats");
  var status = document.getElementById("etat-selection");
  if (!form || !results || !window.fetch || !window.DOMParser) {
    return;
  }
  var pending = null;

  function addressOf(formElement) {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(formElement.elements, function (element) {
      if (element.name && element.value) {
        params.append(element.name, element.value);
      }
    });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function syncForm(address) {
    var params = new URL(address, window.location.href).searchParams;
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      select.value = params.get(select.name) || "";
    });
  }

  function load(address, push) {
    if (pending) {
      pending.abort();
    }
    var controller = new AbortController();
    pending = controller;
    results.setAttribute("aria-busy", "true");
    status.textContent = "Calcul de la sélection…";
    fetch(address, { headers: { "Accept": "text/html" }, signal: controller.signal, credentials: "same-origin" })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("resultats");
        if (!fresh) {
          throw new Error("page sans résultats");
        }
        results.innerHTML = fresh.innerHTML;
        if (push) {
          window.history.pushState({ dashboard: true }, "", address);
        }
        var selection = document.getElementById("selection");
        var alert = results.querySelector("[role=alert]");
        status.textContent = alert ? alert.textContent.trim() : "Résultats mis à jour : " + (selection ? selection.textContent : "") + ".";
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          status.textContent = "La sélection n'a pas pu être chargée ; utilisez le bouton « Afficher ».";
        }
      })
      .finally(function () {
        if (pending === controller) {
          pending = null;
          results.removeAttribute("aria-busy");
        }
      });
  }

  form.addEventListener("change", function () {
    load(addressOf(form), true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(addressOf(form), true);
  });
  window.addEventListener("popstate", function () {
    syncForm(window.location.href);
    load(window.location.pathname + window.location.search, false);
  });
})();
