// Contiguous-renovation proposals on a small map: no tile server (government intranets have
// none), only the proposals' hulls, coloured by level (area green, street blue), outlined
// by status (dashed: proposed, solid: accepted, grey: rejected), and their compounds as
// points, drawn from the data in the page.
(function () {
  const element = document.getElementById("packages-map");
  const source = document.getElementById("packages-map-data");
  if (!element || !source || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = { area: "#198754", street: "#0d6efd", single: "#6c757d" };
  const grey = "#adb5bd";

  function style(level, status) {
    const colour = status === "rejected" ? grey : colours[level] || colours.single;
    return {
      color: colour,
      fillColor: colour,
      weight: status === "accepted" ? 3 : 2,
      dashArray: status === "proposed" ? "6 4" : null,
      fillOpacity: status === "rejected" ? 0.05 : status === "accepted" ? 0.35 : 0.2,
    };
  }

  const hulls = (data.hulls || []).map((item) =>
    L.geoJSON(item.hull, { style: style(item.level, item.status) }).bindTooltip(item.key)
  );
  const points = (data.points || []).map((item) => {
    const colour = item.status === "rejected" ? grey : colours[item.level] || colours.single;
    return L.circleMarker([item.point[1], item.point[0]], {
      radius: item.level === "single" ? 3 : 4,
      color: colour,
      fillColor: colour,
      fillOpacity: 0.9,
      weight: 1,
    }).bindTooltip(item.name + " · " + item.key);
  });
  const layers = hulls.concat(points);
  if (!layers.length) {
    element.textContent = element.getAttribute("aria-label") + " —";
    return;
  }
  // A view must be set before vector layers are added; canvas keeps thousands of shapes fast.
  const map = L.map(element, { attributionControl: false, zoomSnap: 0.25, preferCanvas: true });
  map.fitBounds(L.featureGroup(layers).getBounds(), { padding: [12, 12], maxZoom: 17 });
  layers.forEach((layer) => layer.addTo(map));
  L.control.scale({ imperial: false }).addTo(map);
})();
