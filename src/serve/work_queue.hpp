// The analysis workers of `emo serve`: a fixed number of threads run the model calls, with a bounded number of
// requests waiting for them, so that a flood gets a quick 503 instead of an ever longer queue.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace emo::serve {

class WorkQueue {
public:
    // `workers` threads (at least 1); at most `capacity` jobs wait beyond those running.
    WorkQueue(unsigned workers, std::size_t capacity);
    // Finishes every job already accepted, then joins the workers.
    ~WorkQueue();
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    // Queues `job`; nothing when `capacity` jobs already wait. The future carries the job's result or exception.
    std::optional<std::future<std::string>> submit(std::function<std::string()> job);

    std::size_t waiting() const;  // jobs accepted and not yet started
    std::size_t running() const;  // jobs being run now
    unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

private:
    void work();

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::packaged_task<std::string()>> jobs_;
    std::size_t running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace emo::serve
