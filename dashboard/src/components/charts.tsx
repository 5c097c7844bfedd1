import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { useI18n } from "../i18n/i18n.js";
import { CHART_HEIGHT, SPARKLINE_HEIGHT } from "./chart-sizes.js";

export interface TrendPoint {
  start: string;
  created: number;
  resolved: number;
}

/** Received versus resolved per bucket: the gap between the lines is the backlog growing or shrinking. */
export function TrendChart({ points, timeZone }: { points: readonly TrendPoint[]; timeZone: string }) {
  const { t, date, number } = useI18n();
  const data = points.map((point) => ({ ...point, label: date(point.start, timeZone) }));
  return (
    <div className="chart" role="img" aria-label={t("trendTitle")}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="label" tick={{ fontSize: "0.75rem" }} minTickGap={24} />
          <YAxis tick={{ fontSize: "0.75rem" }} width={48} tickFormatter={(value: number) => number(value)} />
          <Tooltip formatter={(value) => number(Number(value))} />
          <Legend />
          <Line
            type="monotone"
            dataKey="created"
            name={t("kpiCreated")}
            stroke="var(--series-1)"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            type="monotone"
            dataKey="resolved"
            name={t("kpiResolved")}
            stroke="var(--series-2)"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Share of received tickets per channel, largest first. */
export function ChannelMix({
  rows,
}: {
  rows: readonly { key: string; created: number; sharePercent: number | null }[];
}) {
  const { t, label, number, percent } = useI18n();
  const data = [...rows]
    .sort((a, b) => b.created - a.created)
    .map((row) => ({ name: label(row.key), created: row.created, share: row.sharePercent }));
  return (
    <div className="chart" role="img" aria-label={t("channelMixTitle")}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
          <XAxis type="number" hide />
          {/* Every channel keeps its label (interval 0): recharts would otherwise drop some when space is short. */}
          <YAxis type="category" dataKey="name" width={130} interval={0} tick={{ fontSize: "0.75rem" }} />
          <Tooltip
            formatter={(value, _name, item) =>
              `${number(Number(value))} (${percent((item.payload as { share: number | null }).share)})`
            }
          />
          <Bar dataKey="created" name={t("kpiCreated")} fill="var(--series-1)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** A word-sized line of a daily series for a table cell. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  const data = values.map((value, i) => ({ i, value }));
  return (
    <div className="sparkline" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={SPARKLINE_HEIGHT}>
        <LineChart data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <Line
            type="monotone"
            dataKey="value"
            stroke="var(--series-1)"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
