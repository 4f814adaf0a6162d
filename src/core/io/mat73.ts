import { H5Object, H5Ref, Hdf5File, datasetTensor, datasetValues } from './hdf5';
import { Tensor } from './tensor';
import type { ScalarValue } from './torch';

/*
 * MATLAB v7.3 MAT-files: HDF5 behind a 512-byte userblock that starts with the MAT header
 * text "MATLAB 7.3 MAT-file". Each variable is a dataset (or a group, for structs) with a
 * MATLAB_class attribute. HDF5 dims are MATLAB's size reversed (the data is column-major), so
 * tensors get MATLAB's size as their shape and read as MATLAB shows them. Cells are datasets
 * of object references into /#refs#; struct arrays are groups whose fields are such datasets.
 * Names follow MATLAB: `A`, `net.A`, `s(2).A`, `c{3}` (1-based, linear column-major index).
 */

const NUMERIC = new Set(['double', 'single', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'logical']);
const MAX_DEPTH = 64;
/** Most arrays visited (a cell's elements may point to the same arrays many times). */
const MAX_VISITS = 200_000;
/** Longest char array kept as a string. */
const MAX_CHARS = 4096;

export interface Mat73File {
  tensors: Tensor[];
  metadata: Record<string, ScalarValue>;
}

/** A long path cut for a message. */
const short = (name: string) => (name.length > 60 ? `${name.slice(0, 60)}…` : name);

function stringAttr(file: Hdf5File, obj: H5Object, name: string): string | undefined {
  const a = obj.attributes.find((x) => x.name === name);
  if (!a) return undefined;
  const [v] = file.attributeValue(a);
  return typeof v === 'string' ? v : undefined;
}

function numberAttr(file: Hdf5File, obj: H5Object, name: string): number | undefined {
  const a = obj.attributes.find((x) => x.name === name);
  if (!a) return undefined;
  const [v] = file.attributeValue(a);
  return typeof v === 'number' ? v : undefined;
}

export function readMat73(file: Hdf5File): Mat73File {
  const tensors: Tensor[] = [];
  const metadata = Object.create(null) as Record<string, ScalarValue>;
  const onPath = new Set<number>();

  const refs = (obj: H5Object, what: string): (number | undefined)[] =>
    datasetValues(file, obj, what).map((v) => (v instanceof H5Ref ? v.address : undefined));

  let visits = 0;
  const variable = (address: number, name: string, depth: number): void => {
    if (++visits > MAX_VISITS) file.fail(`more than ${MAX_VISITS} arrays in cells and structs`);
    if (depth > MAX_DEPTH) file.fail(`'${short(name)}': nested deeper than ${MAX_DEPTH}`);
    if (onPath.has(address)) file.fail(`'${short(name)}' contains itself (a reference loop)`);
    onPath.add(address);
    try {
      const obj = file.object(address);
      const cls = stringAttr(file, obj, 'MATLAB_class');
      if (obj.kind === 'group') {
        if (obj.linksProblem && (obj.links ?? []).length === 0) file.fail(`the struct '${name}': ${obj.linksProblem}`);
        if (cls !== undefined && cls !== 'struct') return; // sparse matrices, objects: not read
        for (const [field, child] of obj.links ?? []) {
          const c = file.object(child);
          // A struct array: each field is a dataset of references, one per element.
          if (c.kind === 'dataset' && c.type?.class === 'reference' && stringAttr(file, c, 'MATLAB_class') === undefined) {
            refs(c, `'${name}.${field}'`).forEach((r, i) => {
              if (r !== undefined) variable(r, `${name}(${i + 1}).${field}`, depth + 1);
            });
          } else {
            variable(child, `${name}.${field}`, depth + 1);
          }
        }
        return;
      }
      if (obj.kind !== 'dataset' || !obj.type || numberAttr(file, obj, 'MATLAB_empty')) return;
      if (cls === 'cell' && obj.type.class === 'reference') {
        refs(obj, `the cell '${name}'`).forEach((r, i) => {
          if (r !== undefined) variable(r, `${name}{${i + 1}}`, depth + 1);
        });
        return;
      }
      if (cls === 'char') {
        const t = datasetTensor(file, obj, name, true);
        if (t && t.shape.length === 2 && t.shape[0] === 1 && t.shape[1] <= MAX_CHARS) metadata[name] = String.fromCharCode(...t.read());
        return;
      }
      if (cls !== undefined && !NUMERIC.has(cls)) return; // function handles, objects, …
      const t = datasetTensor(file, obj, name, true);
      if (!t) return; // complex numbers (a compound of real and imag) are not read
      tensors.push(t);
      if (t.shape.every((s) => s === 1)) {
        const [v] = t.read();
        metadata[name] = cls === 'logical' ? v !== 0 : v;
      }
    } finally {
      onPath.delete(address);
    }
  };

  const root = file.object(file.rootAddress);
  if (root.linksProblem && (root.links ?? []).length === 0) file.fail(`the root group: ${root.linksProblem}`);
  for (const [name, address] of root.links ?? []) {
    if (name.startsWith('#')) continue; // #refs#, #subsystem#
    variable(address, name, 0);
  }
  return { tensors, metadata };
}
