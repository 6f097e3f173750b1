//! What `std` would provide to the shipped (`no_std`) module: a panic
//! handler and a global allocator. Only with the `shipped` feature (the
//! package build); wasm-bindgen-test builds keep std's.
//!
//! - Panics trap at once. Nothing in the crate is meant to panic on any
//!   input (fuzzed and property-tested); if one did, std's handler would
//!   only have formatted a message nobody reads before trapping too, and its
//!   formatting machinery cost about 8 KB.
//! - The allocator is `crate::heap::SizeClassHeap` (tested natively) over
//!   `memory.grow`.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

use crate::heap::{SizeClassHeap, PAGE};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

struct WasmAllocator(UnsafeCell<SizeClassHeap>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for WasmAllocator {}

#[global_allocator]
static ALLOCATOR: WasmAllocator = WasmAllocator(UnsafeCell::new(SizeClassHeap::new()));

/// `pages` fresh pages of wasm memory: the address of the first.
fn grow(pages: usize) -> Option<usize> {
    let old = core::arch::wasm32::memory_grow(0, pages);
    (old != usize::MAX).then_some(old * PAGE)
}

unsafe impl GlobalAlloc for WasmAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: one thread, and the heap never calls back into the allocator.
        unsafe { (*self.0.get()).alloc(layout, grow) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as in `alloc`; `ptr` came from `alloc` with `layout`.
        unsafe { (*self.0.get()).dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return core::ptr::null_mut();
        };
        // Growing within the block's class needs no copy (a String pushed
        // to in small steps stays put until it outgrows its block).
        if SizeClassHeap::same_block(&layout, &new_layout) {
            return ptr;
        }
        // SAFETY: as GlobalAlloc's own default realloc.
        unsafe {
            let new_ptr = self.alloc(new_layout);
            if !new_ptr.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new_ptr, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new_ptr
        }
    }
}
