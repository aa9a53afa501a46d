/** Folding lives with the text readers (src/content/fold.ts): search folds as classification does. */
export { fold, words } from '../content/fold';
