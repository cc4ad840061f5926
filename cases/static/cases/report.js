/* /report/: a worker's report, sent to POST /api/cases/ as multipart/form-data.
 *
 * The draft (text fields, place, and a random client_token) is kept in localStorage as it is
 * typed, so a lost connection or a closed tab loses nothing; the client_token makes a double tap
 * or a retry on a bad network one case (the server answers a repeated token with the same case).
 * A submission that fails for lack of network is retried when the browser is back online.
 * Facility names go in with textContent, never as HTML.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("report-config").textContent);
  var form = document.getElementById("report-form");
  var statusLine = document.getElementById("report-status");
  var placeLine = document.getElementById("place-chosen");
  var choices = document.getElementById("facility-choices");
  var photosInput = document.getElementById("photos");
  var submitButton = document.getElementById("submit");
  var clearPlace = document.getElementById("clear-place");
  var DRAFT_KEY = "waystation.report.draft";
  var TEXT_FIELDS = ["category", "description", "address", "reporter_name", "reporter_phone"];
  var districtSearch = document.getElementById("district-search");
  var districtChoices = document.getElementById("district-choices");
  var map, marker, draft, sending = false, searchTimer = null, searchRequest = 0;

  function randomToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function say(text, className) {
    statusLine.textContent = text;
    statusLine.className = className || "";
  }

  /* --- the draft on the device ------------------------------------------------------------ */
  function loadDraft() {
    try { return JSON.parse(window.localStorage.getItem(DRAFT_KEY)) || null; } catch (e) { return null; }
  }
  function saveDraft() {
    TEXT_FIELDS.forEach(function (name) { draft[name] = form.elements[name].value; });
    try { window.localStorage.setItem(DRAFT_KEY, JSON.stringify(draft)); } catch (e) { /* full or blocked */ }
  }
  function newDraft() {
    return {client_token: randomToken(), place: null, facility: null, area: null, pending: false};
  }

  /* The photos of the draft, kept in IndexedDB (localStorage holds text only), so they are
   * still there when the page is opened again after a lost connection or a closed tab. */
  var keptPhotos = [];
  function photoStore(mode, work) {
    return new Promise(function (resolve) {
      if (!window.indexedDB) return resolve(null);
      var open = window.indexedDB.open("waystation-report", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("photos"); };
      open.onerror = function () { resolve(null); };
      open.onsuccess = function () {
        var tx = open.result.transaction("photos", mode);
        var result = work(tx.objectStore("photos"));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : null); };
        tx.onerror = function () { resolve(null); };
      };
    });
  }
  function keepPhotos() {
    keptPhotos = Array.prototype.slice.call(photosInput.files);
    var files = keptPhotos.map(function (f) { return {name: f.name, type: f.type, blob: f}; });
    return photoStore("readwrite", function (store) { return store.put(files, "draft"); });
  }
  function forgetPhotos() {
    keptPhotos = [];
    return photoStore("readwrite", function (store) { return store.delete("draft"); });
  }
  function restorePhotos() {
    return photoStore("readonly", function (store) { return store.get("draft"); }).then(function (files) {
      if (!files || !files.length || photosInput.files.length) return;
      keptPhotos = files.map(function (f) { return new File([f.blob], f.name, {type: f.type}); });
      document.querySelector('[data-error-for="photos"]').textContent = "";
      document.getElementById("photos-kept").textContent =
        interpolate(ngettext("%s photo kept from your draft", "%s photos kept from your draft", keptPhotos.length),
                    [keptPhotos.length]);
    });
  }

  /* --- the place ---------------------------------------------------------------------------- */
  function showPlace() {
    var text = "";
    if (draft.facility) text = interpolate(gettext("Place: %s"), [draft.facility.name]);
    else if (draft.place) text = draft.place.label;
    else if (draft.area) text = interpolate(gettext("Place: the address you typed, in %s"), [draft.area.name]);
    placeLine.textContent = text;
    placeLine.className = text ? "ws-ok" : "";
    clearPlace.hidden = !text;
    if (map) {
      if (marker) { map.removeLayer(marker); marker = null; }
      if (draft.place) {
        marker = L.circleMarker([draft.place.drawLat, draft.place.drawLon],
          {radius: 9, color: "#fff", weight: 3, fillColor: "#b71c1c", fillOpacity: 1}).addTo(map);
      }
    }
  }
  function setPoint(lat, lon, crs, label, drawLat, drawLon) {
    draft.place = {lat: lat, lon: lon, crs: crs, label: label, drawLat: drawLat, drawLon: drawLon};
    draft.facility = null;
    draft.area = null;
    districtChoices.textContent = "";
    saveDraft();
    showPlace();
    if (map) map.setView([drawLat, drawLon], Math.max(map.getZoom(), 15));
    offerFacilities(lat, lon, crs);
  }
  function offerFacilities(lat, lon, crs) {
    // Was it about one of the places listed nearby? Then the report goes to the union running it.
    choices.textContent = "";
    var params = new URLSearchParams({lat: lat, lon: lon, crs: crs, limit: 5, radius: 1000});
    fetch(config.nearestUrl + "?" + params.toString(), {headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {features: []}; })
      .then(function (body) {
        var features = body.features || [];
        if (!features.length) return;
        var box = el("fieldset", null, "ws-facility-choice");
        box.appendChild(el("legend", gettext("Is it about one of these places?")));
        features.forEach(function (feature) {
          var label = el("label", null, "ws-choice");
          var input = el("input");
          input.type = "radio";
          input.name = "facility_choice";
          input.value = feature.id;
          input.addEventListener("change", function () {
            draft.facility = {id: feature.id, name: feature.properties.name};
            saveDraft();
            showPlace();
          });
          label.appendChild(input);
          label.appendChild(el("span", feature.properties.name + " · " + Math.round(feature.properties.distance_m) + " m"));
          box.appendChild(label);
        });
        choices.appendChild(box);
      })
      .catch(function () { /* offering places is a help, not a need */ });
  }
  function locate() {
    if (!navigator.geolocation) {
      say(gettext("This browser cannot locate you; tap the map instead."), "ws-error");
      return;
    }
    say(gettext("Locating…"));
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = position.coords.latitude, lon = position.coords.longitude;
      say("");
      var at = ws.drawn(lon, lat);  // sent as WGS84, drawn where the tiles show it
      setPoint(lat, lon, "wgs84", gettext("Place: your current location"), at[0], at[1]);
    }, function () {
      say(gettext("Could not locate you; tap the map instead."), "ws-error");
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  }
  function initMap() {
    if (typeof L === "undefined") return;
    var centre = draft.place ? [draft.place.drawLat, draft.place.drawLon] : [35.0, 105.0];
    map = L.map("report-map").setView(centre, draft.place ? 15 : 4);
    L.tileLayer(config.tilesUrl, {attribution: config.tilesAttribution, maxZoom: 18}).addTo(map);
    map.on("click", function (e) {
      // A point tapped on the map is in the tiles' coordinate system.
      setPoint(e.latlng.lat, e.latlng.lng, config.tilesCrs, gettext("Place: the point you tapped on the map"),
               e.latlng.lat, e.latlng.lng);
    });
  }

  /* The district picked by name, for a report that has only an address. */
  function searchDistricts() {
    var text = districtSearch.value.trim();
    var mine = ++searchRequest;
    if (!text) { districtChoices.textContent = ""; return; }
    fetch(config.areasUrl + "?" + new URLSearchParams({q: text}).toString(), {headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .then(function (body) {
        if (mine !== searchRequest) return;
        var areas = body.results || body;
        districtChoices.textContent = "";
        if (!areas.length) {
          districtChoices.appendChild(el("p", gettext("No district or town with this name."), "ws-muted"));
          return;
        }
        areas.forEach(function (area) {
          var label = el("label", null, "ws-choice");
          var input = el("input");
          input.type = "radio";
          input.name = "district_choice";
          input.value = area.adcode;
          input.addEventListener("change", function () {
            draft.area = {adcode: area.adcode, name: area.name};
            draft.place = null;
            draft.facility = null;
            saveDraft();
            showPlace();
          });
          label.appendChild(input);
          label.appendChild(el("span", area.name + (area.union ? " · " + area.union.name : "")));
          districtChoices.appendChild(label);
        });
      })
      .catch(function () { /* the other ways to give a place still work */ });
  }

  /* --- sending ------------------------------------------------------------------------------ */
  function showErrors(errors) {
    document.querySelectorAll("[data-error-for]").forEach(function (node) { node.textContent = ""; });
    Object.keys(errors).forEach(function (field) {
      var target = document.querySelector('[data-error-for="' + field + '"]') ||
                   (["lat", "lon", "crs", "facility", "area", "location"].indexOf(field) >= 0 ? document.querySelector('[data-error-for="place"]') : null);
      var text = [].concat(errors[field]).join(" ");
      if (target) target.textContent = text;
      else say(field + ": " + text, "ws-error");
    });
  }
  function checkLocally() {
    var errors = {};
    if (!form.elements.category.value) errors.category = gettext("Choose a topic.");
    if (!form.elements.description.value.trim()) errors.description = gettext("Describe what happened.");
    if (!draft.place && !draft.facility && !draft.area) errors.place = gettext("Locate yourself, tap the map or choose a place.");
    var files = keptPhotos;
    if (files.length > config.maxPhotos) {
      errors.photos = interpolate(gettext("At most %s photos."), [config.maxPhotos]);
    }
    files.forEach(function (file) {
      if (file.size > config.maxBytes) errors.photos = interpolate(gettext("%s is larger than 5 MB."), [file.name]);
    });
    showErrors(errors);
    return Object.keys(errors).length === 0;
  }
  function body() {
    var data = new FormData();
    TEXT_FIELDS.forEach(function (name) { data.append(name, form.elements[name].value); });
    data.append("channel", "online");
    data.append("client_token", draft.client_token);
    if (draft.facility) data.append("facility", draft.facility.id);
    else if (draft.place) {
      data.append("lat", draft.place.lat);
      data.append("lon", draft.place.lon);
      data.append("crs", draft.place.crs);
    } else if (draft.area) data.append("area", draft.area.adcode);
    keptPhotos.forEach(function (file) { data.append("photos", file, file.name); });
    return data;
  }
  function send() {
    if (sending) return;  // a double tap sends once (and the token would make it one case anyway)
    sending = true;
    submitButton.disabled = true;
    draft.pending = true;
    saveDraft();
    say(gettext("Sending…"));
    fetch(config.intakeUrl, {
      method: "POST",
      headers: {Accept: "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value},
      body: body()
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.ok) return receipt(answer);
        draft.pending = false;
        saveDraft();
        if (response.status >= 500) say(gettext("The service had a problem; your report is kept here. Please try again."), "ws-error");
        else {
          say(gettext("Please check the marked fields."), "ws-error");
          showErrors((answer && answer.errors) || answer || {});
        }
      });
    }).catch(function () {
      say(gettext("No connection. Your report is kept on this phone and will be sent when you are back online."), "ws-error");
    }).then(function () {
      sending = false;
      submitButton.disabled = false;
    });
  }
  function receipt(answer) {
    try { window.localStorage.removeItem(DRAFT_KEY); } catch (e) { /* nothing kept */ }
    forgetPhotos();
    draft = newDraft();
    form.hidden = true;
    var box = document.getElementById("receipt");
    box.hidden = false;
    document.getElementById("receipt-reference").textContent = answer.reference;
    var union = answer.assigned_union;
    document.getElementById("receipt-union").textContent = union ? union.name : gettext("the union hotline 12351 (no union found for this place yet)");
    document.getElementById("receipt-due").textContent = new Date(answer.due_at).toLocaleString(document.documentElement.lang, {dateStyle: "medium", timeStyle: "short"});
    document.getElementById("receipt-link").href = config.trackUrl + "#" + answer.reference + "." + answer.tracking_token;
    box.focus();
    say("");
  }

  function start() {
    var restored = loadDraft();
    draft = restored || newDraft();
    if (config.facility) {
      draft.facility = config.facility;
      draft.place = null;
    }
    TEXT_FIELDS.forEach(function (name) {
      if (draft[name] && !(name === "category" && form.elements.category.value)) form.elements[name].value = draft[name];
      form.elements[name].addEventListener("input", saveDraft);
      form.elements[name].addEventListener("change", saveDraft);
    });
    initMap();
    showPlace();
    document.getElementById("locate").addEventListener("click", locate);
    photosInput.addEventListener("change", function () {
      document.getElementById("photos-kept").textContent = "";
      keepPhotos();
    });
    districtSearch.addEventListener("input", function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(searchDistricts, 250);
    });
    clearPlace.addEventListener("click", function () {
      draft.place = null;
      draft.facility = null;
      draft.area = null;
      districtChoices.textContent = "";
      choices.textContent = "";
      saveDraft();
      showPlace();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (checkLocally()) send();
    });
    window.addEventListener("online", function () {
      if (draft.pending && checkLocally()) send();
    });
    if (restored) restorePhotos();
    if (draft.pending && navigator.onLine) {
      say(gettext("Your unsent report was restored. Check it and send it again."));
      draft.pending = false;
    }
    saveDraft();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
