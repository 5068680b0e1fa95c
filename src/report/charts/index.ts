export { paretoChart, front2d, PARETO_ID } from './pareto.js';
export { balanceChart, BALANCE_ID } from './balance.js';
export { hypervolumeChart, HYPERVOLUME_ID } from './hypervolume.js';
export { parallelChart, PARALLEL_ID } from './parallel.js';
export { importanceChart, IMPORTANCE_ID } from './importance.js';
export { curvesChart, CURVES_ID } from './curves.js';
export { colouring } from './colour.js';
export { timelineChart, TIMELINE_ID } from './timeline.js';
