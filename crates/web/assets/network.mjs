// Draws the network picture with Cytoscape when JavaScript runs. The page's table holds
// the same information, so nothing depends on this script. Families are squares; people,
// phones, vehicles, accounts and places are circles sized by how many families they touch.
const box = document.getElementById("network-graph");
const drawing = document.getElementById("network-drawing");
if (box && drawing) {
  const script = document.createElement("script");
  script.src = "/assets/cytoscape.min.js";
  script.onload = async () => {
    const res = await fetch(box.dataset.src, { credentials: "same-origin" });
    if (!res.ok) return;
    const graph = await res.json();
    if (graph.nodes.length === 0) return;
    drawing.hidden = false;
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", `A drawing of ${graph.nodes.length} nodes and ${graph.edges.length} links. The table below lists the same people and identifiers.`);
    window.cytoscape({
      container: box,
      elements: [...graph.nodes, ...graph.edges],
      // Room between nodes, and labels that give way rather than pile up: short, wrapped,
      // on a white ground, and hidden when zoomed out too far to read.
      layout: { name: "cose", animate: false, nodeRepulsion: 90000, idealEdgeLength: 90, nodeOverlap: 40, padding: 20 },
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 11, "font-family": "arial, sans-serif", "text-wrap": "ellipsis", "text-max-width": 110, "text-valign": "bottom", "text-margin-y": 4, "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2, "min-zoomed-font-size": 8, width: "mapData(degree, 1, 10, 14, 40)", height: "mapData(degree, 1, 10, 14, 40)", "background-color": "#1d70b8" } },
        { selector: "node[kind = 'family']", style: { shape: "square", "background-color": "#505a5f" } },
        { selector: "node[kind = 'person']", style: { "background-color": "#d4351c" } },
        { selector: "edge", style: { width: "mapData(weight, 1, 5, 1, 5)", "line-color": "#b1b4b6" } },
      ],
    });
  };
  document.head.appendChild(script);
}
