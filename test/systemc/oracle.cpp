// SystemC oracle for the differential test (test/systemc/systemc.test.ts).
//
// Reads lines   signed wIn fIn wOut fOut QMODE OMODE nBits rawIn
// and prints    rawOut
// one per line, in order. rawIn is a decimal raw integer of the input format (wIn, fIn), so its
// value is rawIn * 2^-fIn; the output is the raw integer of the cast into sc_fix (signed = 1) or
// sc_ufix (signed = 0) with wl = wOut, iwl = wOut - fOut and the given modes. QMODE and OMODE are
// the SystemC names without the SC_ prefix. Every step is exact except the cast under test:
// sc_fxval holds the input exactly, and shifts of sc_fxval are exact.
//
// Build: g++ -O1 -o oracle oracle.cpp -lsystemc     Run with SC_COPYRIGHT_MESSAGE=DISABLE.
#define SC_INCLUDE_FX
#include <systemc.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

static sc_q_mode quant_mode(const std::string& s) {
  static const std::map<std::string, sc_q_mode> modes = {
      {"TRN", SC_TRN}, {"TRN_ZERO", SC_TRN_ZERO}, {"RND", SC_RND},         {"RND_ZERO", SC_RND_ZERO},
      {"RND_MIN_INF", SC_RND_MIN_INF},           {"RND_INF", SC_RND_INF}, {"RND_CONV", SC_RND_CONV},
  };
  auto it = modes.find(s);
  if (it == modes.end()) {
    std::cerr << "oracle: unknown quantization mode " << s << "\n";
    std::exit(2);
  }
  return it->second;
}

static sc_o_mode overflow_mode(const std::string& s) {
  static const std::map<std::string, sc_o_mode> modes = {
      {"SAT", SC_SAT}, {"SAT_ZERO", SC_SAT_ZERO}, {"SAT_SYM", SC_SAT_SYM}, {"WRAP", SC_WRAP}, {"WRAP_SM", SC_WRAP_SM},
  };
  auto it = modes.find(s);
  if (it == modes.end()) {
    std::cerr << "oracle: unknown overflow mode " << s << "\n";
    std::exit(2);
  }
  return it->second;
}

int sc_main(int, char**) {
  int is_signed, w_in, f_in, w_out, f_out, n_bits;
  std::string q, o, raw;
  while (std::cin >> is_signed >> w_in >> f_in >> w_out >> f_out >> q >> o >> n_bits >> raw) {
    sc_fxval v(raw.c_str());  // the raw integer, exactly
    v = v >> f_in;            // its real value (exact)
    sc_fxtype_params p(w_out, w_out - f_out, quant_mode(q), overflow_mode(o), n_bits);
    sc_fxval result;
    if (is_signed) {
      sc_fix r(v, p);
      result = r;
    } else {
      sc_ufix r(v, p);
      result = r;
    }
    result = result << f_out;  // back to a raw integer (exact)
    std::cout << result.to_string(SC_DEC, SC_F) << "\n";
  }
  (void)w_in;  // the input width only bounds rawIn; SystemC needs the value alone
  return 0;
}
