// The C++ side of ctorch.h's process groups: c10d's FileStore or TCPStore for the meeting, ProcessGroupGloo for
// the collectives. Every exported function catches every exception; see CTORCH_GUARD.
#define USE_C10D_GLOO 1

#include "ctorch.h"
#include "shim_support.hpp"

#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

struct ctorch_process_group_impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

namespace {

/// The local IPv4 address the kernel would send from to reach `host` (a UDP "connect" sends nothing).
std::string local_address_towards(const std::string &host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo *found = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || found == nullptr) {
        throw ShimError("cannot resolve the master address " + host);
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    bool connected = fd >= 0 && connect(fd, found->ai_addr, found->ai_addrlen) == 0;
    freeaddrinfo(found);
    sockaddr_in local{};
    socklen_t length = sizeof(local);
    bool named = connected && getsockname(fd, reinterpret_cast<sockaddr *>(&local), &length) == 0;
    if (fd >= 0) close(fd);
    if (!named) throw ShimError("no route from this host to the master address " + host);
    char text[INET_ADDRSTRLEN] = {0};
    inet_ntop(AF_INET, &local.sin_addr, text, sizeof(text));
    return text;
}

void check_tensor(const at::Tensor &tensor) {
    if (!tensor.defined()) throw ShimError("the tensor is undefined");
    if (!tensor.is_contiguous()) throw ShimError("collectives need a contiguous tensor");
}

void wait(const c10::intrusive_ptr<c10d::Work> &work) {
    // Gloo bounds every collective by the group's timeout and fails it when a peer's connection breaks.
    work->wait();
}

}  // namespace

ctorch_process_group ctorch_process_group_create(const char *store_path, const char *master_host,
                                                 int32_t master_port, int32_t rank, int32_t world_size,
                                                 const char *interface, const char *host, int64_t timeout_ms,
                                                 char **error) {
    CTORCH_GUARD(error, nullptr, {
        if (world_size < 1 || rank < 0 || rank >= world_size) {
            throw ShimError("rank " + std::to_string(rank) + " is not in 0..<" + std::to_string(world_size));
        }
        if (timeout_ms <= 0) throw ShimError("the timeout must be positive");
        auto timeout = std::chrono::milliseconds(timeout_ms);
        c10::intrusive_ptr<c10d::Store> store;
        if (store_path != nullptr) {
            store = c10::make_intrusive<c10d::FileStore>(store_path, world_size);
        } else {
            if (master_host == nullptr) throw ShimError("a group needs a store path or a master address");
            if (master_port <= 0 || master_port > 65535) {
                throw ShimError("the master port " + std::to_string(master_port) + " is not in 1...65535");
            }
            c10d::TCPStoreOptions options;
            options.port = static_cast<std::uint16_t>(master_port);
            options.isServer = rank == 0;
            options.numWorkers = static_cast<std::size_t>(world_size);
            options.waitWorkers = false;
            options.timeout = timeout;
            store = c10::make_intrusive<c10d::TCPStore>(master_host, options);
        }
        store->setTimeout(timeout);
        auto options = c10d::ProcessGroupGloo::Options::create(timeout);
        if (interface != nullptr) {
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
        } else if (host != nullptr) {
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(host));
        } else if (store_path == nullptr) {
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(
                local_address_towards(master_host, master_port)));
        } else {
            options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        }
        // One worker thread: the trainer issues one collective at a time.
        options->threads = 1;
        auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(
            c10::make_intrusive<c10d::PrefixStore>("visage", store), rank, world_size, options);
        return new ctorch_process_group_impl{store, group};
    })
}

void ctorch_process_group_free(ctorch_process_group group) { delete group; }

int ctorch_process_group_all_reduce(ctorch_process_group group, ctorch_tensor tensor, int32_t op, char **error) {
    CTORCH_GUARD(error, 1, {
        check_tensor(unwrap(tensor));
        c10d::AllreduceOptions options;
        switch (op) {
        case CTORCH_REDUCE_SUM: options.reduceOp = c10d::ReduceOp::SUM; break;
        case CTORCH_REDUCE_MAX: options.reduceOp = c10d::ReduceOp::MAX; break;
        default: throw ShimError("unknown reduction " + std::to_string(op));
        }
        std::vector<at::Tensor> tensors{unwrap(tensor)};
        wait(group->group->allreduce(tensors, options));
        return 0;
    })
}

int ctorch_process_group_broadcast(ctorch_process_group group, ctorch_tensor tensor, int32_t root, char **error) {
    CTORCH_GUARD(error, 1, {
        check_tensor(unwrap(tensor));
        if (root < 0 || root >= group->group->getSize()) {
            throw ShimError("broadcast root " + std::to_string(root) + " is not a rank of the group");
        }
        c10d::BroadcastOptions options;
        options.rootRank = root;
        std::vector<at::Tensor> tensors{unwrap(tensor)};
        wait(group->group->broadcast(tensors, options));
        return 0;
    })
}

ctorch_tensor ctorch_process_group_all_gather(ctorch_process_group group, ctorch_tensor tensor, char **error) {
    CTORCH_GUARD(error, nullptr, {
        const at::Tensor &input = unwrap(tensor);
        check_tensor(input);
        if (input.dim() == 0) throw ShimError("all-gather needs a tensor of at least one dimension");
        std::vector<at::Tensor> inputs{input};
        std::vector<std::vector<at::Tensor>> outputs(1);
        for (int i = 0; i < group->group->getSize(); ++i) outputs[0].push_back(at::empty_like(input));
        wait(group->group->allgather(outputs, inputs));
        return wrap(at::cat(outputs[0], 0));
    })
}

int ctorch_process_group_barrier(ctorch_process_group group, char **error) {
    CTORCH_GUARD(error, 1, {
        wait(group->group->barrier());
        return 0;
    })
}
