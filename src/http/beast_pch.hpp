// Precompiled for the transport units: the only files that include Beast and Asio.
#pragma once
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
