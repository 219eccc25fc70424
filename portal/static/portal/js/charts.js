// Draws the plotly figures the server built. Each chart is an element
// <div data-chart="ID" data-chart-label="..."> and the figure's JSON sits in
// <script type="application/json" id="ID"> (Django's json_script). The page loads the basic
// plotly.js bundle (window.Plotly) before this module. Every chart has a table of the same
// numbers next to it, so without JavaScript the page still says everything.

// A chart is an image of its table: no mode bar (zoom, download, "share" to plotly's cloud) and
// no mouse-only hover or legend toggles, which keyboard and screen reader users could not reach.
// A figure may ask for more through its own "config".
const CONFIG = { responsive: true, displaylogo: false, displayModeBar: false, staticPlot: true };

function describe(element, figure) {
  if (element.dataset.chartLabel) {
    return element.dataset.chartLabel;
  }
  const title = figure.layout && figure.layout.title && figure.layout.title.text;
  return `Chart${title ? `: ${title}` : ""}. The table that follows gives the same numbers.`;
}

export function drawChart(element, Plotly = window.Plotly) {
  const source = document.getElementById(element.dataset.chart);
  if (!source || !Plotly) {
    return null;
  }
  const figure = JSON.parse(source.textContent);
  // The drawing is one image to assistive technology; its numbers are read from the table.
  element.setAttribute("role", "img");
  element.setAttribute("aria-label", describe(element, figure));
  return Plotly.newPlot(element, figure.data, figure.layout || {}, {
    ...CONFIG,
    ...(figure.config || {}),
  });
}

export function drawCharts(root = document) {
  return Array.from(root.querySelectorAll("[data-chart]"), (element) => drawChart(element));
}

drawCharts();
