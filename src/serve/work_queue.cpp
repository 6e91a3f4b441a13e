#include "serve/work_queue.hpp"

#include <algorithm>

namespace emo::serve {

WorkQueue::WorkQueue(unsigned workers, std::size_t capacity) : capacity_(capacity) {
    for (unsigned i = 0; i < std::max(1u, workers); ++i) threads_.emplace_back([this] { work(); });
}

WorkQueue::~WorkQueue() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) t.join();
}

std::optional<std::future<std::string>> WorkQueue::submit(std::function<std::string()> job) {
    std::packaged_task<std::string()> task(std::move(job));
    auto result = task.get_future();
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || jobs_.size() >= capacity_) return std::nullopt;
        jobs_.push_back(std::move(task));
    }
    ready_.notify_one();
    return result;
}

std::size_t WorkQueue::waiting() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

std::size_t WorkQueue::running() const {
    std::lock_guard lock(mutex_);
    return running_;
}

void WorkQueue::work() {
    for (;;) {
        std::packaged_task<std::string()> task;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping, with nothing left to finish
            task = std::move(jobs_.front());
            jobs_.pop_front();
            ++running_;
        }
        task();  // a job's exception lands in its future
        std::lock_guard lock(mutex_);
        --running_;
    }
}

}  // namespace emo::serve
