#include <gtest/gtest.h>

#include "serve/work_queue.hpp"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace {

using emo::serve::WorkQueue;

// A job that holds its worker until released.
struct Gate {
    std::promise<void> open;
    std::shared_future<void> opened = open.get_future().share();
    std::function<std::string()> job(std::string answer) {
        return [f = opened, answer] {
            f.wait();
            return answer;
        };
    }
};

TEST(WorkQueue, RunsJobsAndCarriesTheirResults) {
    WorkQueue queue(2, 8);
    auto a = queue.submit([] { return std::string("a"); });
    auto b = queue.submit([] { return std::string("b"); });
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->get(), "a");
    EXPECT_EQ(b->get(), "b");
}

TEST(WorkQueue, RefusesJobsBeyondItsCapacity) {
    WorkQueue queue(1, 2);
    Gate gate;
    auto running = queue.submit(gate.job("running"));
    while (queue.running() != 1) std::this_thread::yield();
    auto first = queue.submit(gate.job("1"));
    auto second = queue.submit(gate.job("2"));
    ASSERT_TRUE(running && first && second);
    EXPECT_EQ(queue.waiting(), 2u);
    EXPECT_FALSE(queue.submit(gate.job("3"))) << "a third waiting job must be refused";
    gate.open.set_value();
    EXPECT_EQ(second->get(), "2");
    EXPECT_TRUE(queue.submit([] { return std::string("again"); })) << "room again once the queue drains";
}

TEST(WorkQueue, CarriesAJobsExceptionToItsFuture) {
    WorkQueue queue(1, 1);
    auto failed = queue.submit([]() -> std::string { throw std::runtime_error("bad input"); });
    ASSERT_TRUE(failed);
    EXPECT_THROW(failed->get(), std::runtime_error);
    auto next = queue.submit([] { return std::string("fine"); });
    EXPECT_EQ(next->get(), "fine") << "a failed job must not take its worker down";
}

TEST(WorkQueue, FinishesAcceptedJobsBeforeItGoes) {
    std::atomic<int> done = 0;
    {
        WorkQueue queue(1, 16);
        for (int i = 0; i < 10; ++i)
            queue.submit([&done] {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                ++done;
                return std::string();
            });
    }
    EXPECT_EQ(done, 10);
}

}  // namespace
