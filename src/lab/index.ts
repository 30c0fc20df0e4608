/**
 * `reclink/lab`: the static server of the browser lab (`reclink lab`), for hosting the lab
 * from another Node program.
 *
 * @module reclink/lab
 */
export { serveLab, LAB_ROOT, type LabServer, type ServeOptions } from './serve.js';
