/*
 * Thousands of line segments as compact rows [id, style, km, condition, parts], each part a
 * flat [lon, lat, lon, lat, ...] list (see SegmentLines in allianz/maps.py). From
 * options.canvasFrom segments on they are drawn on a canvas instead of as SVG paths. A click
 * reports the segment's `id` to streamlit-folium like a GeoJson feature does; the tooltip is
 * built from numbers only.
 *
 * Thin lines are hard to hit, so a click or hover counts up to HIT_WIDTH / 2 pixels beside
 * one: the canvas looks that far itself (its tolerance); as SVG every line gets an invisible
 * wide twin with the same id, tooltip and highlight. The twins lie in a pane of their own
 * under the visible lines of every segment layer, so a line hit exactly always wins, and
 * above the other overlays (e.g. the municipality areas, whose fill would take the click).
 *
 * options: {styles: [{color, gap}], canvasFrom}
 */
window.allianzSegmentLines = function (data, options) {
    var HIT_WIDTH = 16;
    var HIT_PANE = "allianzSegmentHits", LINE_PANE = "allianzSegmentLines";
    var styles = options.styles;
    var group = L.featureGroup();
    var svg = data.length < options.canvasFrom;
    var renderer = svg ? undefined : L.canvas({tolerance: HIT_WIDTH / 2 - 1.5});
    if (svg) {
        group.onAdd = function (map) {
            [[HIT_PANE, 410], [LINE_PANE, 420]].forEach(function (pane) {
                if (!map.getPane(pane[0])) {
                    var element = map.createPane(pane[0]);
                    element.style.zIndex = pane[1];
                    // the pane's SVG would cover the layers below; its lines take events
                    element.style.pointerEvents = "none";
                }
            });
            L.FeatureGroup.prototype.onAdd.call(this, map);
        };
    }
    function latlngs(part) {
        var out = [];
        for (var j = 0; j < part.length; j += 2) { out.push([part[j + 1], part[j]]); }
        return out;
    }
    function widen(e) { e.target.visible.setStyle({weight: 7}); }
    function narrow(e) {
        var line = e.target.visible;
        line.setStyle({weight: styles[line.styleIndex].gap ? 5 : 3});
    }
    function segment(line, row, style, visible) {
        line.feature = {type: "Feature", properties: {id: row[0]}};
        line.bindTooltip("Nr. " + row[0] + " · " + row[2].toFixed(2).replace(".", ",")
            + " km · Zustand " + (row[3] || "?") + (style.gap ? " · LÜCKE" : ""),
            {sticky: true});
        line.visible = visible;
        line.on("mouseover", widen);
        line.on("mouseout", narrow);
        group.addLayer(line);
    }
    for (var i = 0; i < data.length; i++) {
        var row = data[i], style = styles[row[1]], parts = row[4].map(latlngs);
        var line = L.polyline(parts, {color: style.color,
            weight: style.gap ? 5 : 3, dashArray: style.gap ? "10 8" : null,
            renderer: renderer, pane: svg ? LINE_PANE : "overlayPane"});
        line.styleIndex = row[1];
        if (svg) {
            segment(L.polyline(parts, {color: "#000000", opacity: 0, weight: HIT_WIDTH,
                pane: HIT_PANE, className: "allianz-segment-hit"}), row, style, line);
        }
        segment(line, row, style, line);
    }
    return group;
};
