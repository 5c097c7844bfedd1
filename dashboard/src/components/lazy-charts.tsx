import { type ComponentProps, lazy, Suspense } from "react";
import { CHART_HEIGHT, SPARKLINE_HEIGHT } from "./chart-sizes.js";
import { retryingImport } from "./retrying-import.js";

// The chart library is most of the dashboard's weight: views load it after their first paint, and a view
// without charts (a ticket) never does. Each placeholder holds the chart's own height, so nothing shifts.
// Loaded once for all three, and retried while the connection is down (a view opened offline gets its
// charts when it returns instead of failing).
const charts = retryingImport(() => import("./charts.js"));
const LazyTrendChart = lazy(() => charts().then((m) => ({ default: m.TrendChart })));
const LazyChannelMix = lazy(() => charts().then((m) => ({ default: m.ChannelMix })));
const LazySparkline = lazy(() => charts().then((m) => ({ default: m.Sparkline })));

type Charts = typeof import("./charts.js");

function Placeholder({ height, className }: { height: number; className: string }) {
  return <div className={className} style={{ height }} aria-hidden="true" />;
}

export function TrendChart(props: ComponentProps<Charts["TrendChart"]>) {
  return (
    <Suspense fallback={<Placeholder className="chart" height={CHART_HEIGHT} />}>
      <LazyTrendChart {...props} />
    </Suspense>
  );
}

export function ChannelMix(props: ComponentProps<Charts["ChannelMix"]>) {
  return (
    <Suspense fallback={<Placeholder className="chart" height={CHART_HEIGHT} />}>
      <LazyChannelMix {...props} />
    </Suspense>
  );
}

export function Sparkline(props: ComponentProps<Charts["Sparkline"]>) {
  return (
    <Suspense fallback={<Placeholder className="sparkline" height={SPARKLINE_HEIGHT} />}>
      <LazySparkline {...props} />
    </Suspense>
  );
}
