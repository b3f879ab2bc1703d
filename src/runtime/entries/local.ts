// The former name of the web entry, kept while targets still ask for it.
import './web.ts';
