/** The largest string a query may hold, in UTF-16 code units. */
export const MAX_STRING_LENGTH = 1024;
/** The most members a set in a query may have. */
export const MAX_SET_SIZE = 1000;
/** How many circumstances a counterfactual changes at most, unless the caller says otherwise. */
export const MAX_CHANGES = 4;
