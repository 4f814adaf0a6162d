export { normInf, luFactor, luSolve } from './lu';
export { eigenvalues } from './eigen';
