"""storydiff.spark"""
