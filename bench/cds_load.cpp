// A fixed-rate load generator for `concord serve`: POSTs one request body at a steady rate over
// a pool of keep-alive connections and reports the latency percentiles (wrk drives a server as
// fast as it answers; wrk2, which has a fixed rate, is not in Debian). Each request's latency
// counts from the moment it was due to be sent, not from when a connection was free to send it,
// so a slow answer also counts against the requests that waited behind it (no "coordinated
// omission"). One thread, so that it takes little of the cores the service runs on.
//
//   concord_cds_load --port PORT --target PATH --body FILE [--rate N] [--seconds S]
//                    [--warmup S] [--connections C] [--host ADDR]
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string target;
  std::string body_file;
  double rate = 1000;   // requests per second
  double seconds = 15;  // measured
  double warmup = 2;    // sent at the same rate first, not measured
  unsigned connections = 32;
};

const char* const kUsage =
    "usage: concord_cds_load --port PORT --target PATH --body FILE [--rate N] [--seconds S]\n"
    "                        [--warmup S] [--connections C] [--host ADDR]\n";

bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--host") {
      options.host = value;
    } else if (name == "--port") {
      options.port = static_cast<unsigned short>(std::stoul(value));
    } else if (name == "--target") {
      options.target = value;
    } else if (name == "--body") {
      options.body_file = value;
    } else if (name == "--rate") {
      options.rate = std::stod(value);
    } else if (name == "--seconds") {
      options.seconds = std::stod(value);
    } else if (name == "--warmup") {
      options.warmup = std::stod(value);
    } else if (name == "--connections") {
      options.connections = static_cast<unsigned>(std::stoul(value));
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && options.port != 0 && !options.target.empty() &&
         !options.body_file.empty() && options.rate > 0 && options.seconds > 0 &&
         options.warmup >= 0 && options.connections > 0;
}

class Load {
 public:
  Load(const Options& options, std::string body) : options_(options) {
    request_.method(http::verb::post);
    request_.target(options.target);
    request_.version(11);
    request_.set(http::field::host, options.host);
    request_.set(http::field::content_type, "application/json");
    request_.keep_alive(true);
    request_.body() = std::move(body);
    request_.prepare_payload();
  }

  // Opens the connections, sends for warmup + seconds, waits for the answers; false when no
  // connection could be made.
  bool run() {
    endpoint_ = tcp::endpoint(net::ip::make_address(options_.host), options_.port);
    for (unsigned i = 0; i < options_.connections; ++i) {
      auto connection = std::make_unique<Connection>(ioc_);
      if (const beast::error_code ec = connect(*connection)) {
        std::fprintf(stderr, "concord_cds_load: cannot connect to %s:%u: %s\n",
                     options_.host.c_str(), options_.port, ec.message().c_str());
        return false;
      }
      idle_.push_back(connection.get());
      connections_.push_back(std::move(connection));
    }
    interval_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / options_.rate));
    start_ = Clock::now() + std::chrono::milliseconds(10);
    measure_from_ = start_ + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(options_.warmup));
    end_ = measure_from_ + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(options_.seconds));
    schedule();
    ioc_.run();
    return true;
  }

  void report() {
    std::sort(latencies_.begin(), latencies_.end());
    const auto percentile = [&](double p) {
      if (latencies_.empty()) return 0.0;
      const auto at =
          static_cast<std::size_t>(p / 100 * static_cast<double>(latencies_.size() - 1));
      return latencies_[at];
    };
    // Answers over the time they took to come: below the rate when the service fell behind.
    const std::chrono::duration<double> measured = std::max(last_answer_, end_) - measure_from_;
    std::printf(
        "requests/s %.0f  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms  "
        "errors %zu\n",
        static_cast<double>(latencies_.size()) / measured.count(), percentile(50), percentile(90),
        percentile(99), percentile(99.9), latencies_.empty() ? 0.0 : latencies_.back(), errors_);
    if (reconnects_ > 0) {
      std::printf(
          "  %zu requests sent again on a new connection (the service had closed an idle one)\n",
          reconnects_);
    }
    if (queued_ > 0) {
      std::printf(
          "  %zu requests waited for a free connection: the service fell behind, or give more "
          "--connections\n",
          queued_);
    }
  }

 private:
  struct Connection {
    explicit Connection(net::io_context& ioc) : stream(ioc) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    Clock::time_point due;
    bool resent = false;  // the request in flight was sent again after its connection closed
  };

  beast::error_code connect(Connection& connection) {
    beast::error_code ec;
    connection.stream.socket().connect(endpoint_, ec);
    if (ec) return ec;
    connection.stream.socket().set_option(tcp::no_delay(true), ec);
    connection.buffer.clear();
    connection.buffer.reserve(16 * 1024);  // Beast reads at most the room left in it
    return ec;
  }

  // Sends every request whose time has come, then waits for the next one's.
  void schedule() {
    const Clock::time_point now = Clock::now();
    for (;;) {
      const Clock::time_point due = start_ + interval_ * static_cast<long>(sent_);
      if (due >= end_) return;  // the last answers are awaited; then run() returns
      if (due > now) {
        timer_.expires_at(due);
        timer_.async_wait([this](beast::error_code ec) {
          if (!ec) schedule();
        });
        return;
      }
      ++sent_;
      if (idle_.empty()) {
        if (due >= measure_from_) ++queued_;
        waiting_.push_back(due);
      } else {
        // The connection idle longest: all stay in use, so the service seldom closes one.
        Connection* connection = idle_.front();
        idle_.pop_front();
        send(*connection, due);
      }
    }
  }

  void send(Connection& connection, Clock::time_point due) {
    connection.due = due;
    connection.stream.expires_after(std::chrono::seconds(30));  // a service that never answers
    http::async_write(
        connection.stream, request_, [this, &connection](beast::error_code ec, std::size_t) {
          if (ec) return fail(connection, ec);
          connection.response = {};
          http::async_read(
              connection.stream, connection.buffer, connection.response,
              [this, &connection](beast::error_code ec, std::size_t) { answered(connection, ec); });
        });
  }

  void answered(Connection& connection, beast::error_code ec) {
    if (ec) return fail(connection, ec);
    connection.resent = false;
    const std::chrono::duration<double, std::milli> latency = Clock::now() - connection.due;
    if (connection.due >= measure_from_) {
      last_answer_ = Clock::now();
      latencies_.push_back(latency.count());
      if (connection.response.result() != http::status::ok) ++errors_;
    }
    if (!waiting_.empty()) {
      const Clock::time_point due = waiting_.front();
      waiting_.pop_front();
      send(connection, due);
    } else {
      idle_.push_back(&connection);
    }
  }

  // The service closes a keep-alive connection that stays idle past its time limit, as HTTP
  // allows; a client then sends the request again on a new connection, once. A connection
  // that fails otherwise is not used again; the run ends early when none is left.
  void fail(Connection& connection, beast::error_code ec) {
    if (!connection.resent) {
      beast::error_code ignored;
      connection.stream.socket().close(ignored);
      if (!connect(connection)) {
        connection.resent = true;
        if (connection.due >= measure_from_) ++reconnects_;
        return send(connection, connection.due);
      }
    }
    ++errors_;
    if (++failed_ == 1) std::fprintf(stderr, "concord_cds_load: %s\n", ec.message().c_str());
    if (failed_ == connections_.size()) {
      timer_.cancel();
      ioc_.stop();
    }
  }

  Options options_;
  net::io_context ioc_;
  net::steady_timer timer_{ioc_};
  http::request<http::string_body> request_;
  std::vector<std::unique_ptr<Connection>> connections_;
  tcp::endpoint endpoint_;
  std::deque<Connection*> idle_;
  std::deque<Clock::time_point> waiting_;  // due, with no free connection yet
  Clock::duration interval_{};
  Clock::time_point start_, measure_from_, end_, last_answer_;
  std::size_t sent_ = 0;
  std::size_t queued_ = 0;
  std::size_t failed_ = 0;
  std::size_t reconnects_ = 0;
  std::size_t errors_ = 0;         // connection errors and answers other than 200
  std::vector<double> latencies_;  // ms, of the requests due after the warmup
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    if (!parse_options(argc, argv, options)) {
      std::fputs(kUsage, stderr);
      return 2;
    }
  } catch (const std::exception&) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::ifstream in(options.body_file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "concord_cds_load: cannot read %s\n", options.body_file.c_str());
    return 2;
  }
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Load load(options, std::move(body));
  if (!load.run()) return 1;
  load.report();
  return 0;
}
