// Response rates of a campaign's compounds: no tile server (government intranets have none),
// only the campaign area's outline and one circle per compound, coloured by its response
// rate (red below 30%, orange to 60%, green above), drawn from data in the page.
(function () {
  const element = document.getElementById("response-map");
  const source = document.getElementById("response-map-data");
  if (!element || !source || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colour = (rate) => (rate >= 60 ? "#198754" : rate >= 30 ? "#fd7e14" : "#dc3545");
  const outline = data.outline
    ? L.geoJSON(data.outline, {
        style: { color: "#6c757d", weight: 1, fillColor: "#dee2e6", fillOpacity: 0.4 },
      })
    : null;
  const circles = (data.compounds || []).map((c) =>
    L.circleMarker([c.lat, c.lon], {
      radius: 6 + Math.min(c.households, 400) / 50,
      color: colour(c.rate),
      fillColor: colour(c.rate),
      fillOpacity: 0.75,
      weight: 1,
    }).bindTooltip(`${c.name} ${c.rate}% (${c.responses}/${c.households})`)
  );
  const layers = [outline, ...circles].filter(Boolean);
  if (!layers.length) {
    element.textContent = element.getAttribute("aria-label") + " —";
    return;
  }
  // A view must be set before vector layers are added.
  const map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  const bounds = L.featureGroup(layers).getBounds();
  if (circles.length === 1 && !outline) {
    map.setView(circles[0].getLatLng(), 15);
  } else {
    map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
  }
  layers.forEach((layer) => layer.addTo(map));
  L.control.scale({ imperial: false }).addTo(map);
})();
