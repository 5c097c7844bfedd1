/**
 * Chart heights, fixed so that the space a chart takes is known before its data and its code arrive:
 * placeholders hold it and nothing below moves when the chart appears. The channel chart fits its bars
 * into the same height as the trend beside it.
 */
export const CHART_HEIGHT = 300;
export const SPARKLINE_HEIGHT = 28;
