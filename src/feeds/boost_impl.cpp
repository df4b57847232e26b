// Boost.URL and Boost.JSON are header-only libraries with separately compiled parts;
// this is the one translation unit that compiles them.
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
