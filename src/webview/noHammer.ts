// Stands in for hammerjs in the webview bundle (scripts/build.mjs aliases it): chartjs-plugin-zoom
// uses Hammer only for touch pinch and drag-panning and skips both when it is absent. Wheel and
// box zoom are the plugin's own; panning with Shift+drag and the keys is ours (charts.ts).
export default undefined;
