// Draws the network picture with Cytoscape when JavaScript runs. The page's table holds
// the same information, so nothing depends on this script. Families are squares; people,
// phones, vehicles, accounts and places are circles sized by how many families they touch.
const box = document.getElementById("network-graph");
if (box) {
  const script = document.createElement("script");
  script.src = "/assets/cytoscape.min.js";
  script.onload = async () => {
    const res = await fetch(box.dataset.src, { credentials: "same-origin" });
    if (!res.ok) return;
    const graph = await res.json();
    if (graph.nodes.length === 0) return;
    box.hidden = false;
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", `A drawing of ${graph.nodes.length} nodes and ${graph.edges.length} links. The table below lists the same people and identifiers.`);
    window.cytoscape({
      container: box,
      elements: [...graph.nodes, ...graph.edges],
      layout: { name: "cose", animate: false },
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, width: "mapData(degree, 1, 10, 14, 40)", height: "mapData(degree, 1, 10, 14, 40)", "background-color": "#1d70b8" } },
        { selector: "node[kind = 'family']", style: { shape: "square", "background-color": "#505a5f" } },
        { selector: "node[kind = 'person']", style: { "background-color": "#d4351c" } },
        { selector: "edge", style: { width: "mapData(weight, 1, 5, 1, 5)", "line-color": "#b1b4b6" } },
      ],
    });
  };
  document.head.appendChild(script);
}
