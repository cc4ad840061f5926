/* Drawing and popups for the folium map pages (maps/render.py, maps/pages.py): the functions
 * the pages' GeoJSON layers name (window.waystation.*), built on the shared module ws
 * (project/static/project/ws.js) for labels, text-only elements, marker styles and translation.
 *
 * Every text that came from users (facility names, addresses, hours) is put into the page with
 * textContent, never as HTML, so `<img src=x onerror=alert(1)>` shows as those characters.
 */
(function () {
  "use strict";

  /* The colour of the first class whose upper bound is >= value (bounds and colours come
   * from maps/render.py: class_breaks and legend). */
  function classColour(breaks, colours, value) {
    for (var k = 0; k < breaks.length; k++) {
      if (value <= breaks[k]) return colours[k];
    }
    return colours[colours.length - 1];
  }

  /* The map a page drew (folium names it; the page hands the name over in data-map). */
  function pageMap(node) {
    var holder = node.closest("[data-map]");
    return holder ? window[holder.getAttribute("data-map")] : null;
  }

  var waystation = {
    facilityMarker: function (feature, latlng) {
      return L.circleMarker(latlng, ws.facilityStyle(feature.properties.k));
    },

    facilityPopup: function (p) {
      var box = ws.el("div", null, "ws-popup");
      box.appendChild(ws.el("strong", p.n, "ws-name"));
      box.appendChild(ws.el("div", ws.label("kinds", p.k) + " · " + ws.label("statuses", p.s), "ws-kind"));
      ws.row(box, ws.gettext("Now"), p.o ? ws.gettext("Open now") : ws.gettext("Closed now"));
      ws.row(box, ws.gettext("Hours"), p.h);
      ws.row(box, ws.gettext("Amenities"), (p.a || []).map(function (a) {
        return ws.label("amenities", a);
      }).join(ws.gettext(", ")));
      ws.row(box, ws.gettext("Address"), p.ad);
      ws.row(box, ws.gettext("Phone"), p.p);
      return box;
    },

    bindFacilityPopup: function (feature, layer) {
      layer.bindPopup(function () { return waystation.facilityPopup(feature.properties); });
    },

    ring: function (radius) {
      return function (feature, latlng) {
        var colour = feature.properties && feature.properties.k ? ws.kindColour(feature.properties.k) : "#6a3d9a";
        return L.circle(latlng, {radius: radius, color: colour, weight: 1, fillOpacity: 0.06, interactive: false});
      };
    },

    /* Marker-cluster bubbles in the colour of their kind (the plugin's own green, yellow and
     * orange by size would read as kinds in the legend). */
    clusterIcon: function (kind) {
      return function (cluster) {
        return waystation.bubble(kind, cluster.getChildCount());
      };
    },

    bubble: function (kind, n) {
      var size = n < 10 ? 30 : n < 100 ? 36 : 44;
      var inner = ws.el("div");
      inner.style.background = ws.kindColour(kind);
      inner.appendChild(ws.el("span", n));
      var holder = ws.el("div");
      holder.appendChild(inner);
      return L.divIcon({html: holder.innerHTML, className: "ws-bubble", iconSize: L.point(size, size)});
    },

    /* A grid cluster of facilities (drawn instead of markers on a large map), with its count. */
    countMarker: function (kind) {
      return function (feature, latlng) {
        var n = Number(feature.properties.n) || 0;
        return L.marker(latlng, {icon: waystation.bubble(kind, n), title: ws.label("kinds", kind) + ": " + n});
      };
    },

    graduated: function (breaks, colours, key) {
      return function (feature) {
        return {
          fillColor: classColour(breaks, colours, Number(feature.properties[key]) || 0),
          fillOpacity: 0.7, color: "#800026", weight: 0.3
        };
      };
    },

    servedStyle: function () {
      return {fillColor: "#9e9e9e", fillOpacity: 0.25, color: "#757575", weight: 0.3};
    },

    outlineStyle: function () {
      return {color: "#263238", weight: 2, dashArray: "6 4", fill: false};
    },

    bindCaseCountTooltip: function (feature, layer) {
      var n = Number(feature.properties.n) || 0;
      layer.bindTooltip(ws.format(ws.ngettext("%(count)s case", "%(count)s cases", n), {count: n}));
    },

    bindGapTooltip: function (feature, layer) {
      var p = feature.properties;
      layer.bindTooltip(ws.format(ws.gettext("Demand %(demand)s · unmet %(unmet)s · nearest facility %(nearest)s"), {
        demand: p.d, unmet: p.u, nearest: p.m === null ? ws.gettext("none") : ws.metres(p.m)
      }));
    },

    siteMarker: function (feature, latlng) {
      return L.marker(latlng, {
        icon: L.divIcon({
          html: "<span>" + (Number(feature.properties.r) || "") + "</span>",
          className: "ws-site", iconSize: L.point(26, 26)
        })
      });
    },

    bindSitePopup: function (feature, layer) {
      layer.bindPopup(function () {
        var p = feature.properties;
        var box = ws.el("div", null, "ws-popup");
        box.appendChild(ws.el("strong", ws.format(ws.gettext("Suggested site #%(rank)s"), {rank: p.r})));
        if (p.n) {
          ws.row(box, ws.gettext("Keep open longer"), p.n);
          ws.row(box, ws.gettext("Proposed hours"), p.h);
        }
        ws.row(box, ws.gettext("Newly covered demand"), p.c);
        ws.row(box, ws.gettext("Cumulative coverage"), (100 * p.s).toFixed(1) + " %");
        return box;
      });
    },

    /* The gap page's time presets: a button writes its window into the `hours` input and
     * submits the form (the input can also be typed in). */
    presets: function () {
      var input = document.getElementById("ws-hours");
      document.querySelectorAll(".ws-presets [data-hours]").forEach(function (button) {
        // The preset the page shows is marked as pressed.
        button.setAttribute("aria-pressed", String(input !== null && input.value.trim() === button.getAttribute("data-hours")));
        button.addEventListener("click", function () {
          input.value = button.getAttribute("data-hours");
          input.form.requestSubmit();
        });
      });
    },

    /* Rows of the planners' tables with data-lon/data-lat (WGS84): a click or Enter on one
     * centres the map on it. */
    zoomRows: function () {
      document.querySelectorAll("[data-lon][data-lat]").forEach(function (row) {
        function go() {
          var map = pageMap(row);
          if (!map) return;
          var at = ws.drawn(Number(row.getAttribute("data-lon")), Number(row.getAttribute("data-lat")));
          map.setView(at, Math.max(map.getZoom(), 15), {animate: false});
          document.querySelectorAll(".ws-picked").forEach(function (other) { other.classList.remove("ws-picked"); });
          row.classList.add("ws-picked");
        }
        row.addEventListener("click", go);
        row.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
      });
    }
  };

  window.waystation = waystation;
  function ready() { waystation.zoomRows(); waystation.presets(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
