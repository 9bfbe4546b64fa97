// A work's small map: no tile server (government intranets have none), only the district
// outline, the work's geometry (a point with its radius in metres) and the compounds it
// names, drawn from data in the page.
(function () {
  const element = document.getElementById("work-map");
  const source = document.getElementById("work-map-data");
  if (!element || !source || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const workStyle = { color: "#0d6efd", weight: 4, fillColor: "#0d6efd", fillOpacity: 0.25 };
  const district = data.district && data.district.outline
    ? L.geoJSON(data.district.outline, {
        style: { color: "#6c757d", weight: 1, fillColor: "#dee2e6", fillOpacity: 0.5 },
      })
    : null;
  const work = data.geometry
    ? L.geoJSON(data.geometry, {
        style: workStyle,
        pointToLayer: (feature, latlng) =>
          data.radius > 0
            ? L.circle(latlng, Object.assign({ radius: data.radius }, workStyle))
            : L.circleMarker(latlng, Object.assign({ radius: 7 }, workStyle)),
      }).bindTooltip(data.name)
    : null;
  const compounds = (data.compounds || []).map((c) => {
    if (c.boundary) {
      return L.geoJSON(c.boundary, {
        style: { color: "#8c2f2b", weight: 2, fillOpacity: 0.3 },
      }).bindTooltip(c.name);
    }
    if (c.point) {
      return L.circleMarker([c.point[1], c.point[0]], {
        radius: 6, color: "#8c2f2b", fillColor: "#8c2f2b", fillOpacity: 0.9,
      }).bindTooltip(c.name);
    }
    return null;
  }).filter(Boolean);
  const focus = [work, ...compounds].filter(Boolean);
  const layers = [district, ...focus].filter(Boolean);
  if (!layers.length) {
    element.textContent = element.getAttribute("aria-label") + " —";
    return;
  }
  // A view must be set before vector layers are added.
  const map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  const bounds = L.featureGroup(focus.length ? focus : layers).getBounds();
  map.fitBounds(bounds, { maxZoom: 17, padding: [20, 20] });
  layers.forEach((layer) => layer.addTo(map));
  L.control.scale({ imperial: false }).addTo(map);
})();
