// Autosave for the questionnaire: every change is saved at once through the API, based on the
// version the page knows, so that a concurrent change by someone else is shown, never overwritten.
// Without this script the page still works: its « Enregistrer » button posts the form.
// Who saves is known from the contributor cookie, which the browser sends with each request: the script never
// handles that credential (HttpOnly), so it sends no X-Contributor header.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form || form.dataset.editable !== "true") {
    return;
  }
  var api = form.dataset.api;
  var pollSeconds = 15;
  var states = new Map(); // question id -> { busy, again, dirty }

  function fieldset(id) {
    return form.querySelector('fieldset[data-question="' + CSS.escape(id) + '"]');
  }
  function input(set, suffix) {
    return set.querySelector('[name$=".' + suffix + '"]');
  }
  function chosen(set) {
    var radio = set.querySelector('input[type=radio]:checked');
    return radio ? radio.value : "";
  }
  function content(set) {
    var choice = chosen(set);
    var level = /^\d+$/.test(choice) ? parseInt(choice, 10) : null;
    return {
      level: level,
      status: level === null && choice !== "" ? choice : null,
      comment: input(set, "Comment").value.trim() || null,
      evidenceUrl: input(set, "EvidenceUrl").value.trim() || null,
      evidenceText: input(set, "EvidenceText").value.trim() || null
    };
  }
  function signature(value) {
    var choice = value.level !== null && value.level !== undefined ? String(value.level) : (value.status || "");
    return [choice, value.comment || "", value.evidenceUrl || "", value.evidenceText || ""].join("\u001F");
  }
  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" }) : "";
  }
  function show(set, text, kind) {
    var state = set.querySelector('[data-role="state"]');
    state.textContent = text;
    state.className = "save-state" + (kind ? " " + kind : "");
  }
  function highlight(set) {
    set.querySelectorAll("label.level").forEach(function (label) {
      var radio = label.querySelector("input[type=radio]");
      label.classList.toggle("chosen", !!(radio && radio.checked));
    });
  }
  // The header's « 1 question renseignée sur 3 »: the saved answers (a level, NSP or NC) of this theme, agreed as the
  // server writes it (singular up to one).
  var counter = document.querySelector('[data-role="answered"]');
  function count() {
    if (!counter) { return; }
    var answered = form.querySelectorAll('fieldset[data-question][data-given="true"]').length;
    counter.textContent = answered + " " + (answered > 1 ? counter.dataset.many : counter.dataset.one) + " sur " + counter.dataset.total;
  }
  function accept(set, answer) {
    set.dataset.version = String(answer.version);
    set.dataset.given = (answer.level !== null && answer.level !== undefined) || answer.status ? "true" : "false";
    input(set, "Version").value = String(answer.version);
    input(set, "Original").value = signature(answer);
    count();
  }
  function fill(set, answer) {
    var choice = answer.level !== null && answer.level !== undefined ? String(answer.level) : (answer.status || "");
    set.querySelectorAll("input[type=radio]").forEach(function (radio) { radio.checked = radio.value === choice; });
    input(set, "Comment").value = answer.comment || "";
    input(set, "EvidenceUrl").value = answer.evidenceUrl || "";
    input(set, "EvidenceText").value = answer.evidenceText || "";
    highlight(set);
    accept(set, answer);
  }
  function describe(answer) {
    if (answer.level !== null && answer.level !== undefined) {
      var label = form.querySelector('input[type=radio][value="' + answer.level + '"]');
      return label ? label.closest("label").querySelector(".name").textContent : "niveau " + answer.level;
    }
    return answer.status === "NSP" ? "Ne sait pas" : answer.status === "NC" ? "Non concerné" : "pas de réponse";
  }

  function conflict(set, current, mine) {
    var old = set.querySelector(".conflict");
    if (old) { old.remove(); }
    var box = document.createElement("div");
    box.className = "conflict";
    box.setAttribute("role", "alert");
    var text = document.createElement("p");
    var who = current.updatedBy || "quelqu'un d'autre";
    text.innerHTML = "<strong></strong> ";
    text.querySelector("strong").textContent = "Modifié entre-temps par " + who + " :";
    text.appendChild(document.createTextNode(describe(current) + (current.comment ? " (« " + current.comment + " »)" : "") +
      ". Votre réponse n'a pas été enregistrée."));
    var actions = document.createElement("div");
    actions.className = "actions";
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "secondary";
    keep.textContent = "Garder leur réponse";
    keep.addEventListener("click", function () { fill(set, current); box.remove(); show(set, "Réponse de " + who + " conservée.", "saved"); });
    var replace = document.createElement("button");
    replace.type = "button";
    replace.textContent = "Remplacer par la mienne";
    replace.addEventListener("click", function () { accept(set, current); box.remove(); save(set.dataset.question, mine); });
    actions.append(keep, replace);
    box.append(text, actions);
    set.appendChild(box);
  }

  function save(id, forced) {
    var set = fieldset(id);
    var state = states.get(id) || { busy: false, again: false, dirty: false };
    states.set(id, state);
    state.dirty = true;
    if (state.busy) { state.again = true; return; }
    var body = forced || content(set);
    if (!forced && signature(body) === input(set, "Original").value) { state.dirty = false; return; }
    state.busy = true;
    show(set, "Enregistrement…");
    var headers = { "Content-Type": "application/json", "If-Match": '"' + set.dataset.version + '"' };
    fetch(api + "/answers/" + encodeURIComponent(id), { method: "PUT", headers: headers, body: JSON.stringify(body), credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; });
      })
      .then(function (result) {
        state.busy = false;
        if (result.status === 200) {
          accept(set, result.json);
          state.dirty = false;
          show(set, "Enregistré à " + time(result.json.updatedAt) + ".", "saved");
        } else if (result.status === 412 && result.json.current) {
          state.dirty = false;
          conflict(set, result.json.current, body);
          show(set, "Non enregistré : réponse modifiée par quelqu'un d'autre.", "error");
          return;
        } else {
          show(set, "Non enregistré : " + (result.json.detail || (result.json.errors ? Object.values(result.json.errors).flat().join(" ") : "erreur " + result.status)), "error");
          return;
        }
        if (state.again) { state.again = false; save(id); }
      })
      .catch(function () {
        state.busy = false;
        show(set, "Non enregistré (connexion interrompue) : nouvel essai dans quelques secondes…", "error");
        setTimeout(function () { save(id); }, 4000);
      });
  }

  // Radios save at once; text fields when they lose focus or after a pause in typing.
  var timers = new Map();
  // A reply to a doubt sits beside its question but belongs to its own form (it is sent, not autosaved).
  form.addEventListener("change", function (event) {
    var set = event.target.closest("fieldset[data-question]");
    if (!set || event.target.form !== form) { return; }
    highlight(set);
    save(set.dataset.question);
  });
  form.addEventListener("input", function (event) {
    var set = event.target.closest("fieldset[data-question]");
    if (!set || event.target.type === "radio" || event.target.form !== form) { return; }
    var id = set.dataset.question;
    (states.get(id) || states.set(id, { busy: false, again: false, dirty: false }).get(id)).dirty = true;
    clearTimeout(timers.get(id));
    timers.set(id, setTimeout(function () { save(id); }, 1500));
  });

  // Answers given elsewhere (another tab, a colleague) appear here unless this page is editing them.
  function refresh() {
    fetch(api, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (document_) {
        if (!document_) { return; }
        document_.themes.forEach(function (theme) {
          theme.questions.forEach(function (question) {
            var set = fieldset(question.id);
            var state = states.get(question.id);
            if (!set || (state && (state.dirty || state.busy)) || set.querySelector(".conflict")) { return; }
            if (question.answer.version > parseInt(set.dataset.version, 10)) {
              fill(set, question.answer);
              show(set, "Mis à jour par " + (question.answer.updatedBy || "quelqu'un d'autre") + " à " + time(question.answer.updatedAt) + ".", "saved");
            }
          });
        });
      })
      .catch(function () { /* offline: the next poll tries again */ });
  }
  setInterval(refresh, pollSeconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });

  var submitting = false;
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    var pending = !submitting && Array.from(states.values()).some(function (s) { return s.busy || s.dirty; });
    if (pending) { event.preventDefault(); event.returnValue = ""; }
  });
  // The form's buttons still work with the script: everything is saved already, they move on.
  form.querySelectorAll('[data-role="save"]').forEach(function (button) { button.textContent = "Enregistrer maintenant"; });
})();
