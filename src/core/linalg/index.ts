export { normInf, luFactor, luSolve, determinant } from './lu';
export { eigenvalues } from './eigen';
