import type { ReactNode } from 'react';
import { useTheme } from '@mui/material/styles';
import Box from '@mui/material/Box';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { HdrPlot } from '../../lib/benchmarkResults';
import { percentileTick, percentileTicks } from '../../lib/benchmarkResults';

/** Series colours from the theme's palette (light and dark), never fixed black or white. */
export function useSeriesColours(): string[] {
  const { palette } = useTheme();
  return [
    palette.primary.main,
    palette.secondary.main,
    palette.success.main,
    palette.warning.main,
    palette.error.main,
    palette.info.main,
  ];
}

/** Axis and grid colours of the theme. */
export function useAxisColours() {
  const { palette } = useTheme();
  return { text: palette.text.secondary, grid: palette.divider };
}

/** A fixed-height chart frame, hidden from assistive technology (a table beside it carries the data). */
export function ChartFrame(props: {
  label: string;
  height?: number;
  children: ReactNode;
}) {
  return (
    <Box
      role="img"
      aria-label={props.label}
      sx={{ width: '100%', height: props.height ?? 260 }}
    >
      <ResponsiveContainer width="100%" height="100%">
        {props.children as any}
      </ResponsiveContainer>
    </Box>
  );
}

/**
 * Latency against percentile, HdrHistogram style: x is 1/(1-q) on a log axis, labelled as the
 * percentile; each series a step line.
 */
export function LatencyDistributionChart(props: {
  plot: HdrPlot;
  series: { key: string; name: string }[];
  label: string;
}) {
  const colours = useSeriesColours();
  const axis = useAxisColours();
  const { plot, series } = props;
  return (
    <ChartFrame label={props.label} height={300}>
      <LineChart
        data={plot.rows}
        margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
      >
        <CartesianGrid stroke={axis.grid} />
        <XAxis
          dataKey="x"
          type="number"
          scale="log"
          domain={[1, plot.xMax]}
          ticks={percentileTicks(plot.xMax)}
          tickFormatter={percentileTick}
          allowDataOverflow
          stroke={axis.text}
          label={{
            value: 'Percentile',
            position: 'insideBottom',
            offset: -4,
            fill: axis.text,
          }}
        />
        <YAxis
          stroke={axis.text}
          label={{
            value: 'ms',
            angle: -90,
            position: 'insideLeft',
            fill: axis.text,
          }}
        />
        <Tooltip labelFormatter={x => percentileTick(Number(x))} />
        <Legend verticalAlign="top" />
        {series.map((s, i) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.name}
            type="stepAfter"
            dot={false}
            isAnimationActive={false}
            stroke={colours[i % colours.length]}
            connectNulls={false}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
}

/** A simple line chart over a category or number axis. */
export function SeriesChart<T extends object>(props: {
  data: T[];
  xKey: string;
  xLabel?: string;
  lines: { key: string; name: string; yAxis?: 'left' | 'right' }[];
  leftLabel: string;
  rightLabel?: string;
  label: string;
}) {
  const colours = useSeriesColours();
  const axis = useAxisColours();
  return (
    <ChartFrame label={props.label}>
      <LineChart
        data={props.data}
        margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
      >
        <CartesianGrid stroke={axis.grid} />
        <XAxis dataKey={props.xKey} stroke={axis.text} />
        <YAxis
          yAxisId="left"
          stroke={axis.text}
          label={{
            value: props.leftLabel,
            angle: -90,
            position: 'insideLeft',
            fill: axis.text,
          }}
        />
        {props.rightLabel && (
          <YAxis
            yAxisId="right"
            orientation="right"
            stroke={axis.text}
            label={{
              value: props.rightLabel,
              angle: 90,
              position: 'insideRight',
              fill: axis.text,
            }}
          />
        )}
        <Tooltip />
        <Legend />
        {props.lines.map((l, i) => (
          <Line
            key={l.key}
            yAxisId={l.yAxis ?? 'left'}
            dataKey={l.key}
            name={l.name}
            dot={false}
            isAnimationActive={false}
            stroke={colours[i % colours.length]}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
}
