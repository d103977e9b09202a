export { renderDir } from './dir';
export { templateTarget } from './paths';
export { placeholders, renderTemplate, TemplateError } from './render';
