package com.leakedkeybot; public class Main { public static void main(String[] a){} }
