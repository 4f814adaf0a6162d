import { InputError } from '../errors';
import { ByteSource } from './source';
import { Tensor } from './tensor';

export function readBson(src: ByteSource): Tensor[] {
  throw new InputError(`${src.name}: Julia BSON files are not supported yet`);
}
